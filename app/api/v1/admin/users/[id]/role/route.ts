// POST /api/v1/admin/users/:id/role – make a user an admin or not; their sessions end (admins)
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { setRole } from "@/lib/users/admin-users";
import * as declared from "./declaration";

export const POST = withApi(declared.POST, async ({ params, body, actor }) => {
  await setRole(params.id, body.role, actor);
  return json({ role: body.role });
});
