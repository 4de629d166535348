// POST /api/v1/keys/verify – external services check a key: 200 with { valid, code, … }
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/api/with-api";
import { admitKeyCheck } from "@/lib/keys/key-check-limits";
import { verifyKey, ZVerifyRequest } from "@/lib/keys/verify-key";

export const POST = withApi({ access: "public", body: ZVerifyRequest, rateLimit: admitKeyCheck }, async ({ body, actor }) =>
  json(await verifyKey(body.key, body.scope, actor)),
);
