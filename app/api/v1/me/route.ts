// DELETE /api/v1/me – delete your account (confirmed by typing your address): personal keys are
// revoked, team keys keep working; refused while you are a team's last owner
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/api/with-api";
import { deleteAccount, ZDeleteAccountRequest } from "@/lib/users/delete-account";

export const DELETE = withApi({ access: "user", body: ZDeleteAccountRequest }, async ({ user, body, actor }) =>
  json({ deleted: true, ...(await deleteAccount(user.id, body.confirmEmail, actor)) }),
);
