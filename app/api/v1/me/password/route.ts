// POST /api/v1/me/password – change (or, for a GitHub-only account, set) the password; ends every
// other session, and this browser gets a fresh one
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/api/with-api";
import { signIn } from "@/lib/auth";
import { changePassword, ZChangePasswordRequest } from "@/lib/users/change-password";

export const POST = withApi({ access: "user", body: ZChangePasswordRequest }, async ({ user, body, actor }) => {
  const { email } = await changePassword(user.id, body, actor);
  await signIn("credentials", { email, password: body.password, redirect: false });
  return json({ ok: true });
});
