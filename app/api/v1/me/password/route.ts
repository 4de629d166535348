// POST /api/v1/me/password – change (or, for a GitHub-only account, set) the password; ends every
// other session, and this browser gets a fresh one
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { signIn } from "@/lib/auth";
import { mintProof } from "@/lib/second-factor/proof";
import { changePassword } from "@/lib/users/change-password";
import * as declared from "./declaration";

export const POST = withApi(declared.POST, async ({ user, body, actor }) => {
  const { email } = await changePassword(user.id, body, actor);
  // This person just gave the password, and their session had its second factor: a proof of it
  // signs them in without asking for a code again.
  await signIn("credentials", {
    email,
    password: body.password,
    proof: mintProof("second-factor", user.id),
    redirect: false,
  });
  return json({ ok: true });
});
