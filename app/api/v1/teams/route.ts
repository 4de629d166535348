// GET /api/v1/teams – the teams you belong to; POST /api/v1/teams – create one (you become its owner)
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/api/with-api";
import { createTeam, listMyTeams, ZCreateTeamRequest } from "@/lib/teams/teams";

export const GET = withApi({ access: "user" }, async ({ user }) => json({ items: await listMyTeams(user.id) }));

export const POST = withApi({ access: "user", body: ZCreateTeamRequest }, async ({ user, body, actor }) =>
  json(await createTeam(user, body, actor), { status: 201 }),
);
