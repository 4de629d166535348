import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { ZChangePasswordRequest } from "@/lib/users/change-password";

export const POST = declareRoute({
  access: "user",
  scope: null,
  body: ZChangePasswordRequest,
  operationId: "changePassword",
  summary: "Change (or set) your password",
  description: "Ends your other sessions; this one gets a fresh cookie.",
  tag: "Account",
  responses: R.ok(R.ZOk),
  errors: [403, 429],
  examples: { body: { currentPassword: ["wrong-password"], password: ["short", "a-long-enough-password"] } },
});
