// POST /api/v1/admin/users/:id/password-reset – email a user a link to set a new password (admins)
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { sendPasswordReset } from "@/lib/users/password-reset";
import * as declared from "./declaration";

export const POST = withApi(declared.POST, async ({ params, actor }) => {
  await sendPasswordReset(params.id, actor);
  return json({ sent: true }, { status: 202 });
});
