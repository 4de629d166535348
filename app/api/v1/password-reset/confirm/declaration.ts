import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { ZConfirmPasswordResetRequest } from "@/lib/users/password-reset";

export const POST = declareRoute({
  access: "public",
  body: ZConfirmPasswordResetRequest,
  operationId: "confirmPasswordReset",
  summary: "Set a new password with an emailed link",
  description:
    "`token` is the link's `token` parameter. Sets the password (a first one for an account that signs in with GitHub only), verifies the address, and ends every session of the account; it signs nobody in. 410 when the link was used, has expired, or was never sent.",
  tag: "Account",
  responses: R.ok(R.ZOk),
  errors: [410],
  examples: { body: { token: ["x".repeat(43), "short"], password: ["short", "a-long-enough-password"] } },
});
