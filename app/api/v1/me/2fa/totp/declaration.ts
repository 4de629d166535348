import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { ZTotpCode } from "@/lib/second-factor/enrolment";

export const POST = declareRoute({
  access: "user",
  scope: null,
  beforeEnrolment: true,
  recentAuth: true,
  operationId: "startTotpEnrolment",
  summary: "Start TOTP enrolment",
  description:
    "A new shared secret, in this answer only (as text and as an otpauth:// URI for a QR code). Nothing is asked for until `confirmTotpEnrolment` gets a first code. Starting again replaces an unconfirmed secret. 409 when TOTP is already on.",
  tag: "Account",
  responses: R.ok(R.ZTotpEnrolment),
  errors: [409],
});

export const DELETE = declareRoute({
  access: "user",
  scope: null,
  body: ZTotpCode,
  recentAuth: true,
  operationId: "disableTotp",
  summary: "Turn TOTP off",
  description:
    "With a current code or an unused recovery code (`code`); the recovery codes go too. A wrong code is 422 and counts like a wrong password.",
  tag: "Account",
  responses: R.ok(R.flag("disabled", true)),
  errors: [409, 429],
  examples: { body: { code: ["123456", "abcde-fghjk", " 123 456 "] } },
});
