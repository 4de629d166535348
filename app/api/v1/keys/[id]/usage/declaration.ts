import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { ZIdParams } from "@/lib/api/text";
import { ZKeyUsageQuery } from "@/lib/usage/usage-range";

export const GET = declareRoute({
  access: "user",
  scope: "usage:read",
  params: ZIdParams,
  query: ZKeyUsageQuery,
  operationId: "getKeyUsage",
  summary: "A key's verifications over time, by outcome",
  description:
    "Every answer about the key per hour or day and outcome (VALID and each refusal), zero-filled, with totals, its use count, last use and the gate's last client address. Anyone who may see the key may see this; someone else's key is a 404. Counters reach the database with the usage flush, within seconds. Ranges: at most 90 days by hour, 400 by day (422 beyond).",
  tag: "Keys",
  responses: R.ok(R.ZKeyUsage),
  examples: {
    query: {
      from: ["2026-11-01", "2026-11-29T10:00:00Z", "0001-01-01"],
      to: ["2026-11-30", "2026-11-30T12:00:00+01:00", "9999-12-31"],
      granularity: ["hour", "day"],
    },
  },
});
