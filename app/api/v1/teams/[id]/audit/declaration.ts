import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { ZIdParams } from "@/lib/api/text";
import { ZListAuditQuery } from "@/lib/audit/list-audit";
import { PAGING } from "@/app/api/examples";

export const GET = declareRoute({
  access: "user",
  scope: "audit:read",
  params: ZIdParams,
  query: ZListAuditQuery,
  operationId: "teamAudit",
  summary: "The team's audit log (owners and admins)",
  tag: "Teams",
  responses: R.ok(R.ZAuditPage),
  errors: [403],
  examples: { query: { actor: ["a"], action: ["team.created"], key: ["x"], ...PAGING } },
});
