// GET /api/v1/teams/:id/audit/export – the team's audit log as a CSV or JSON Lines download,
// filtered by time range, actor and action, streamed in batches (the team's owners)
import { ZIdParams } from "@/lib/api/text";
import { withApi } from "@/lib/api/with-api";
import { auditDownload, ZAuditExportQuery } from "@/lib/audit/export-audit";
import { exportTeamAudit } from "@/lib/teams/team-audit";

export const GET = withApi({ access: "user", params: ZIdParams, query: ZAuditExportQuery }, async ({ user, params, query, actor }) =>
  auditDownload(await exportTeamAudit(user.id, params.id!, query, actor)),
);

// Millions of rows take a while; never cache or prerender it.
export const dynamic = "force-dynamic";
