import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { ZTotpCode } from "@/lib/second-factor/enrolment";

export const POST = declareRoute({
  access: "user",
  scope: null,
  beforeEnrolment: true,
  body: ZTotpCode,
  operationId: "confirmTotpEnrolment",
  summary: "Finish TOTP enrolment with a first code",
  description:
    "From then on, sign-in asks for a code after the password. Answers 10 single-use recovery codes, once. A wrong code is 422 and counts like a wrong password (429 after too many).",
  tag: "Account",
  responses: R.ok(R.ZRecoveryCodes),
  errors: [409, 429],
  examples: { body: { code: ["123456", "000000", "12345"] } },
});
