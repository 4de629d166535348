import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { ZIdParams } from "@/lib/api/text";
import { ZRevokeKeyRequest } from "@/lib/keys/change/revoke-key";

export const POST = declareRoute({
  access: "user",
  scope: "keys:write",
  params: ZIdParams,
  body: ZRevokeKeyRequest,
  operationId: "revokeKey",
  summary: "Revoke one of your keys",
  tag: "Keys",
  responses: R.ok(R.ZKeyView, "The key, now blacklisted as REVOKED"),
  errors: [409],
  examples: { body: { note: ["no longer needed"] } },
});
