// GET /api/v1/teams/:id/audit/export – the team's audit log as a CSV or JSON Lines download,
// filtered by time range, actor and action, streamed in batches (the team's owners)
import { withApi } from "@/lib/routes/with-api";
import { auditDownload } from "@/lib/audit/export-audit";
import { exportTeamAudit } from "@/lib/teams/team-audit";
import * as declared from "./declaration";

export const GET = withApi(declared.GET, async ({ user, params, query, actor }) =>
  auditDownload(await exportTeamAudit(user.id, params.id, query, actor)),
);

// Millions of rows take a while; never cache or prerender it.
export const dynamic = "force-dynamic";
