// GET /api/ping – liveness without touching the database (load balancers), and the benchmarks'
// framework floor. GET only: other methods get Next's 405, and no body is ever read.
import { declaredRoute } from "@/lib/routes/with-api";
import * as declared from "./declaration";

export const GET = declaredRoute(declared.GET, function GET(): Response {
  return Response.json({ ok: true });
});
