// PATCH /api/v1/teams/:id/members/:userId – change a role (owners); DELETE – remove (admins) or leave (yourself)
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { changeRole, removeMember } from "@/lib/teams/members";
import * as declared from "./declaration";

export const PATCH = withApi(declared.PATCH, async ({ user, params, body, actor }) =>
  json(await changeRole(user.id, params.id, params.userId, body.role, actor)),
);

export const DELETE = withApi(declared.DELETE, async ({ user, params, actor }) => {
  await removeMember(user.id, params.id, params.userId, actor);
  return json({ removed: true });
});
