// GET /api/v1/admin/audit/export – the audit log as a CSV or JSON Lines download, filtered by time
// range, actor and action, streamed in batches (admins)
import { withApi } from "@/lib/api/with-api";
import { auditDownload, exportAudit, ZAuditExportQuery } from "@/lib/audit/export-audit";

export const GET = withApi({ access: "admin", query: ZAuditExportQuery }, async ({ query, actor }) => auditDownload(await exportAudit(query, actor)));

// Millions of rows take a while; never cache or prerender it.
export const dynamic = "force-dynamic";
