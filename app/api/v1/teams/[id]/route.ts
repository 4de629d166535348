// GET/PATCH/DELETE /api/v1/teams/:id – read (members), rename (owners), delete (owners, once no key works)
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { deleteTeam, getTeam, renameTeam } from "@/lib/teams/teams";
import * as declared from "./declaration";

export const GET = withApi(declared.GET, async ({ user, params }) => json(await getTeam(user.id, params.id)));

export const PATCH = withApi(declared.PATCH, async ({ user, params, body, actor }) =>
  json(await renameTeam(user.id, params.id, body.name, actor)),
);

export const DELETE = withApi(declared.DELETE, async ({ user, params, actor }) => {
  await deleteTeam(user.id, params.id, actor);
  return json({ deleted: true });
});
