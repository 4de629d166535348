import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { z } from "zod";

export const POST = declareRoute({
  access: "user",
  scope: null,
  operationId: "connectGitHub",
  summary: "Start connecting GitHub",
  description: "Answers the GitHub address to open; the identity is linked when GitHub sends the browser back.",
  tag: "Account",
  responses: R.ok(z.object({ url: z.string() })),
  errors: [403, 404],
});
