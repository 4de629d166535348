import { declareRoute } from "@/lib/routes/declaration";
import { ZPasswordResetRequest } from "@/lib/users/password-reset";
import { z } from "zod";

export const POST = declareRoute({
  access: "public",
  body: ZPasswordResetRequest,
  operationId: "requestPasswordReset",
  summary: "Email a link to choose a new password",
  description:
    "Always the same 202, in the same time, whether or not the address has an account: only an account's address gets the link (single-use, valid for an hour). Throttled per address (3 an hour, account or not) and per client (`PASSWORD_RESET_RATE_LIMIT` an hour).",
  tag: "Account",
  responses: { 202: { description: "Received", schema: z.object({ message: z.string() }) } },
  errors: [429],
  examples: { body: { email: ["fuzz-reset@example.test", "not-an-address"] } },
});
