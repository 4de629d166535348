import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { ZListAuditQuery } from "@/lib/audit/list-audit";
import { PAGING } from "@/app/api/examples";

export const GET = declareRoute({
  access: "admin",
  scope: "admin:read",
  query: ZListAuditQuery,
  operationId: "adminListAudit",
  summary: "The audit log, newest first",
  tag: "Admin",
  responses: R.ok(R.ZAuditPage),
  examples: { query: { actor: ["sweep"], action: ["key.issued", "key.revoked"], key: ["x"], ...PAGING } },
});
