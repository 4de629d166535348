// GET /api/ping – liveness without touching the database (load balancers), and the benchmarks'
// framework floor. GET only: other methods get Next's 405, and no body is ever read.
export function GET(): Response {
  return Response.json({ ok: true });
}
