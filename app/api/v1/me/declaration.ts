import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { ZDeleteAccountRequest } from "@/lib/users/delete-account";
import { z } from "zod";

export const DELETE = declareRoute({
  access: "user",
  scope: null,
  body: ZDeleteAccountRequest,
  recentAuth: true,
  operationId: "deleteAccount",
  summary: "Delete your account",
  description:
    'Confirmed by typing your address. Your personal keys are revoked ("owner account deleted"); team keys you issued keep working. Refused (409) while you are a team\'s last owner.',
  tag: "Account",
  responses: R.ok(z.object({ deleted: z.literal(true), revokedKeys: z.number().int() })),
  errors: [409],
  examples: { body: { confirmEmail: ["nobody@example.test", ""] } },
});
