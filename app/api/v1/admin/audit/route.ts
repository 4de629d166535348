// GET /api/v1/admin/audit – the audit log, newest first, filterable by actor, action and key (admins)
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/api/with-api";
import { listAudit, ZListAuditQuery } from "@/lib/audit/list-audit";

export const GET = withApi({ access: "admin", query: ZListAuditQuery }, async ({ query }) => json(await listAudit(query)));
