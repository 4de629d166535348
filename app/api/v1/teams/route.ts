// GET /api/v1/teams – the teams you belong to; POST /api/v1/teams – create one (you become its owner)
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { createTeam, listMyTeams } from "@/lib/teams/teams";
import * as declared from "./declaration";

export const GET = withApi(declared.GET, async ({ user }) => json({ items: await listMyTeams(user.id) }));

export const POST = withApi(declared.POST, async ({ user, body, actor }) =>
  json(await createTeam(user, body, actor), { status: 201 }),
);
