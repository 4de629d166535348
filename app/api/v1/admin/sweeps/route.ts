// GET /api/v1/admin/sweeps – sweep run history, newest first, and whether the cron still runs (admins)
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { listSweeps } from "@/lib/sweep/list-sweeps";
import { sweepHealth } from "@/lib/sweep/sweep-health";
import * as declared from "./declaration";

export const GET = withApi(declared.GET, async ({ query }) => {
  const now = new Date();
  const [page, health] = await Promise.all([listSweeps(query, now), sweepHealth(now)]);
  return json({ ...page, health });
});
