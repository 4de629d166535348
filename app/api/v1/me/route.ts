// DELETE /api/v1/me – delete your account (confirmed by typing your address): personal keys are
// revoked, team keys keep working; refused while you are a team's last owner
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { deleteAccount } from "@/lib/users/delete-account";
import * as declared from "./declaration";

export const DELETE = withApi(declared.DELETE, async ({ user, body, actor }) =>
  json({ deleted: true, ...(await deleteAccount(user.id, body.confirmEmail, actor)) }),
);
