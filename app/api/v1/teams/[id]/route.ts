// GET/PATCH/DELETE /api/v1/teams/:id – read (members), rename (owners), delete (owners, once no key works)
import { json } from "@/lib/api/respond";
import { ZIdParams } from "@/lib/api/text";
import { withApi } from "@/lib/api/with-api";
import { deleteTeam, getTeam, renameTeam, ZRenameTeamRequest } from "@/lib/teams/teams";

export const GET = withApi({ access: "user", params: ZIdParams }, async ({ user, params }) => json(await getTeam(user.id, params.id!)));

export const PATCH = withApi({ access: "user", params: ZIdParams, body: ZRenameTeamRequest }, async ({ user, params, body, actor }) =>
  json(await renameTeam(user.id, params.id!, body.name, actor)),
);

export const DELETE = withApi({ access: "user", params: ZIdParams }, async ({ user, params, actor }) => {
  await deleteTeam(user.id, params.id!, actor);
  return json({ deleted: true });
});
