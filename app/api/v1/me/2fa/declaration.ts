import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";

export const GET = declareRoute({
  access: "user",
  scope: null,
  beforeEnrolment: true,
  operationId: "getSecondFactor",
  summary: "Your second factor",
  description:
    "Whether TOTP is on (or enrolment is waiting for its first code), how many recovery codes are left, and whether REQUIRE_2FA asks this account for one.",
  tag: "Account",
  responses: R.ok(R.ZSecondFactorStatus),
});
