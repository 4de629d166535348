// POST /api/v1/admin/users/:id/role – make a user an admin or not; their sessions end (admins)
import { json } from "@/lib/api/respond";
import { ZIdParams } from "@/lib/api/text";
import { withApi } from "@/lib/api/with-api";
import { setRole, ZSetRoleRequest } from "@/lib/users/admin-users";

export const POST = withApi({ access: "admin", params: ZIdParams, body: ZSetRoleRequest }, async ({ params, body, actor }) => {
  await setRole(params.id!, body.role, actor);
  return json({ role: body.role });
});
