import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { z } from "zod";

export const POST = declareRoute({
  access: "user",
  scope: null,
  operationId: "connectSso",
  summary: "Start connecting the single sign-on identity",
  description:
    "Answers the provider's address to open; the identity is linked when the provider sends the browser back. Its verified address must be the account's.",
  tag: "Account",
  responses: R.ok(z.object({ url: z.string() })),
  errors: [403, 404],
});
