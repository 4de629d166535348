// POST /api/v1/me/2fa/totp – start TOTP enrolment (a new secret, shown once);
// DELETE /api/v1/me/2fa/totp – turn TOTP off, with a current code or a recovery code
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { disableTotp, startTotpEnrolment } from "@/lib/second-factor/enrolment";
import * as declared from "./declaration";

export const POST = withApi(declared.POST, async ({ user }) => json(await startTotpEnrolment(user)));

export const DELETE = withApi(declared.DELETE, async ({ user, body, actor }) => {
  await disableTotp(user, body, actor);
  return json({ disabled: true });
});
