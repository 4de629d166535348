// GET /api/v1/teams/:id/audit – the team's log, newest first (owners and admins)
import { json } from "@/lib/api/respond";
import { ZIdParams } from "@/lib/api/text";
import { withApi } from "@/lib/api/with-api";
import { ZListAuditQuery } from "@/lib/audit/list-audit";
import { teamAudit } from "@/lib/teams/team-audit";

export const GET = withApi({ access: "user", params: ZIdParams, query: ZListAuditQuery }, async ({ user, params, query }) =>
  json(await teamAudit(user.id, params.id!, query)),
);
