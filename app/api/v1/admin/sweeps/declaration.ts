import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { ZListSweepsQuery } from "@/lib/sweep/list-sweeps";
import { PAGING } from "@/app/api/examples";

export const GET = declareRoute({
  access: "admin",
  scope: "admin:read",
  query: ZListSweepsQuery,
  operationId: "adminListSweeps",
  summary: "Sweep runs and whether the cron still runs",
  tag: "Admin",
  responses: R.ok(R.ZSweepPage),
  examples: { query: PAGING },
});
