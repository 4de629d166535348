import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { ZBlacklistKeyRequest } from "@/lib/keys/change/blacklist-key";

export const POST = declareRoute({
  access: "admin",
  scope: "admin:write",
  body: ZBlacklistKeyRequest,
  recentAuth: {
    when: "when `key` (a pasted key) is sent; blacklisting by `keyId` does not ask",
    test: (body) => body.key !== undefined,
  },
  operationId: "adminBlacklistKey",
  summary: "Blacklist any key, by id or by its pasted plaintext",
  tag: "Admin",
  responses: R.ok(R.ZBlacklistedKey),
  errors: [404, 409],
  examples: { body: { keyId: ["x"], key: ["kw_x"], reason: ["LEAKED", "REVOKED"], note: ["leaked"] } },
});
