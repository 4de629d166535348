// PATCH /api/v1/teams/:id/members/:userId – change a role (owners); DELETE – remove (admins) or leave (yourself)
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/api/with-api";
import { changeRole, removeMember, ZChangeRoleRequest, ZMemberParams } from "@/lib/teams/members";

export const PATCH = withApi({ access: "user", params: ZMemberParams, body: ZChangeRoleRequest }, async ({ user, params, body, actor }) =>
  json(await changeRole(user.id, params.id!, params.userId!, body.role, actor)),
);

export const DELETE = withApi({ access: "user", params: ZMemberParams }, async ({ user, params, actor }) => {
  await removeMember(user.id, params.id!, params.userId!, actor);
  return json({ removed: true });
});
