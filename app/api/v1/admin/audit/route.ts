// GET /api/v1/admin/audit – the audit log, newest first, filterable by actor, action and key (admins)
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { listAudit } from "@/lib/audit/list-audit";
import * as declared from "./declaration";

export const GET = withApi(declared.GET, async ({ query }) => json(await listAudit(query)));
