import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { ZIdParams } from "@/lib/api/text";
import { ZRotateTokenRequest } from "@/lib/tokens/manage-tokens";

export const POST = declareRoute({
  access: "user",
  scope: "tokens:write",
  params: ZIdParams,
  body: ZRotateTokenRequest,
  recentAuth: true,
  operationId: "rotateToken",
  summary: "Rotate an API token",
  description: "A new token with the same name, owner and scopes; the old one keeps working for `grace`.",
  tag: "API tokens",
  responses: { 201: { description: "Rotated", schema: R.ZRotatedToken } },
  errors: [409],
  examples: { body: { grace: ["none", "1h", "forever"] } },
});
