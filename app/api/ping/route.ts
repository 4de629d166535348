// GET/POST /api/ping – liveness without touching the database (load balancers; the benchmarks'
// "framework floor")
export function GET(): Response {
  return Response.json({ ok: true });
}

export const POST = GET;
