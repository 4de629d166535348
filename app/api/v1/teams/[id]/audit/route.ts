// GET /api/v1/teams/:id/audit – the team's log, newest first (owners and admins)
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { teamAudit } from "@/lib/teams/team-audit";
import * as declared from "./declaration";

export const GET = withApi(declared.GET, async ({ user, params, query }) =>
  json(await teamAudit(user.id, params.id, query)),
);
