// GET/POST /api/ping – liveness without touching the database (load balancers), and the
// benchmarks' framework floor. POST drains its body, as any JSON route must, so the cost of
// receiving a request body in Next is measured apart from Keyward's own work.
export function GET(): Response {
  return Response.json({ ok: true });
}

export async function POST(req: Request): Promise<Response> {
  await req.arrayBuffer();
  return Response.json({ ok: true });
}
