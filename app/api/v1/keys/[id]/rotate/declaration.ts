import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { ZIdParams } from "@/lib/api/text";
import { ZRotateKeyRequest } from "@/lib/keys/change/rotate-key";
import { EXPIRY } from "@/app/api/examples";

export const POST = declareRoute({
  access: "user",
  scope: "keys:write",
  params: ZIdParams,
  body: ZRotateKeyRequest,
  operationId: "rotateKey",
  summary: "Renew or rotate a key",
  description:
    "A new key with the same name and scopes; the old one keeps working for `grace`, then answers REVOKED (ROTATED).",
  tag: "Keys",
  responses: { 201: { description: "The new key (plaintext once) and the old one", schema: R.ZRotatedKey } },
  errors: [403, 409],
  examples: {
    body: { grace: ["none", "1h", "24h", "7d", "until-expiry"], expiry: [{ type: "days", days: 30 }, ...EXPIRY] },
  },
});
