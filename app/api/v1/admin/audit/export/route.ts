// GET /api/v1/admin/audit/export – the audit log as a CSV or JSON Lines download, filtered by time
// range, actor and action, streamed in batches (admins)
import { withApi } from "@/lib/routes/with-api";
import { auditDownload, exportAudit } from "@/lib/audit/export-audit";
import * as declared from "./declaration";

export const GET = withApi(declared.GET, async ({ query, actor }) => auditDownload(await exportAudit(query, actor)));

// Millions of rows take a while; never cache or prerender it.
export const dynamic = "force-dynamic";
