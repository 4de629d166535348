// GET /api/v1/admin/sweeps – sweep run history, newest first, and whether the cron still runs (admins)
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/api/with-api";
import { listSweeps, ZListSweepsQuery } from "@/lib/sweep/list-sweeps";
import { sweepHealth } from "@/lib/sweep/sweep-health";

export const GET = withApi({ access: "admin", query: ZListSweepsQuery }, async ({ query }) => {
  const now = new Date();
  const [page, health] = await Promise.all([listSweeps(query, now), sweepHealth(now)]);
  return json({ ...page, health });
});
