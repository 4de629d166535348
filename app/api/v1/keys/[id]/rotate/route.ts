// POST /api/v1/keys/:id/rotate – new key with the same name and scopes; the old one gets a grace period
import { json } from "@/lib/api/respond";
import { ZIdParams } from "@/lib/api/text";
import { withApi } from "@/lib/api/with-api";
import { rotateKey, ZRotateKeyRequest } from "@/lib/keys/rotate-key";

export const POST = withApi({ access: "user", params: ZIdParams, body: ZRotateKeyRequest }, async ({ user, params, body, actor }) =>
  json(await rotateKey(user.id, params.id!, body, actor), { status: 201 }),
);
