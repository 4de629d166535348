import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";

export const POST = declareRoute({
  access: "user",
  scope: null,
  operationId: "resendVerification",
  summary: "Email a new verification link",
  tag: "Account",
  responses: { 202: { description: "Sent", schema: R.flag("sent", true) } },
  errors: [409, 429],
});
