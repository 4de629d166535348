import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";

export const POST = declareRoute({
  access: "user",
  scope: null,
  recentAuth: true,
  operationId: "regenerateRecoveryCodes",
  summary: "New recovery codes",
  description: "10 new single-use codes, in this answer only; the old ones stop working. 409 without TOTP.",
  tag: "Account",
  responses: R.ok(R.ZRecoveryCodes),
  errors: [409],
});
