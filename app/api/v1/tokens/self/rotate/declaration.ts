import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { ZRotateTokenRequest } from "@/lib/tokens/manage-tokens";

export const POST = declareRoute({
  access: "token",
  body: ZRotateTokenRequest,
  operationId: "rotateSelfToken",
  summary: "The calling token rotates itself",
  description: "For CI: rotate the token in hand before it expires (any scope). Sessions get 401.",
  tag: "API tokens",
  responses: { 201: { description: "Rotated", schema: R.ZRotatedToken } },
  errors: [409],
  examples: { body: { grace: ["none", "24h"] } },
});
