import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { ZVerifyRequest } from "@/lib/keys/check/verify-key";

export const POST = declareRoute({
  access: "verifier",
  scope: "verify",
  body: ZVerifyRequest,
  operationId: "verifyKey",
  summary: "Check a key",
  description:
    "Every well-formed request gets 200 with a verdict; `valid` is true only for VALID. Never VALID on doubt (503). A verifier sends `Authorization: Bearer <API token with the verify scope>`: it hears only of its owner's keys (a site admin's token: every key), its `ip` is believed, and it has a budget of its own. Anonymous callers are served unless VERIFY_AUTH=required (then 401), and may not send `ip` (422).",
  tag: "Keys",
  responses: R.ok(R.ZVerifyResult, "The verdict"),
  errors: [401, 403, 429, 503],
  examples: { body: { key: ["kw_x"], scope: ["read", "write"] } },
});
