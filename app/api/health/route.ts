// GET /api/health – liveness and database reachability, for load balancers and the start script
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/api/with-api";
import { prisma } from "@/lib/db/client";

export const GET = withApi({ access: "public" }, async () => {
  await prisma.$queryRaw`SELECT 1`;
  return json({ ok: true });
});
