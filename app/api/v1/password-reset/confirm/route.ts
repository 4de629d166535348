// POST /api/v1/password-reset/confirm – set a new password with an emailed link's token
// ({token, password}; JSON only); ends every session of the account and signs nobody in
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { resetPassword } from "@/lib/users/password-reset";
import * as declared from "./declaration";

export const POST = withApi(declared.POST, async ({ body, actor }) => {
  await resetPassword(body, actor.ip);
  return json({ ok: true });
});
