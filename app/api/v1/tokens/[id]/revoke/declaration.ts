import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { ZIdParams } from "@/lib/api/text";
import { ZRevokeTokenRequest } from "@/lib/tokens/manage-tokens";

export const POST = declareRoute({
  access: "user",
  scope: "tokens:write",
  params: ZIdParams,
  body: ZRevokeTokenRequest,
  operationId: "revokeToken",
  summary: "Revoke an API token",
  description: "Refused at once on every instance (401 REVOKED).",
  tag: "API tokens",
  responses: R.ok(R.ZTokenView),
  errors: [409],
  examples: { body: { note: ["rotated out"] } },
});
