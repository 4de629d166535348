// GET /api/health – liveness and database reachability, for load balancers and the start script
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { prisma } from "@/lib/db/client";
import * as declared from "./declaration";

export const GET = withApi(declared.GET, async () => {
  await prisma.$queryRaw`SELECT 1`;
  return json({ ok: true });
});
