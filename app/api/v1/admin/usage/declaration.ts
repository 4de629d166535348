import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { ZAdminUsageQuery } from "@/lib/usage/admin-usage";

export const GET = declareRoute({
  access: "admin",
  scope: "admin:read",
  query: ZAdminUsageQuery,
  operationId: "adminUsage",
  summary: "Usage across every key",
  description:
    "Answers per hour and outcome over the last `hours`, the keys with the most traffic and the most refusals in that window, and working keys unused for `unusedDays` (a never-used key counts from its creation), oldest first, a page at a time.",
  tag: "Admin",
  responses: R.ok(R.ZAdminUsage),
  examples: {
    query: {
      hours: ["1", "48", "168"],
      top: ["1", "10", "50"],
      unusedDays: ["1", "30", "3650"],
      unusedAfter: ["0.00000000-0000-0000-0000-000000000000"],
      pageSize: ["1", "20", "100"],
    },
  },
});
