// POST /api/v1/keys/:id/revoke – the owner revokes their key (blacklisted as REVOKED)
import { json } from "@/lib/api/respond";
import { ZIdParams } from "@/lib/api/text";
import { withApi } from "@/lib/api/with-api";
import { revokeKey, ZRevokeKeyRequest } from "@/lib/keys/revoke-key";

export const POST = withApi({ access: "user", params: ZIdParams, body: ZRevokeKeyRequest }, async ({ user, params, body, actor }) =>
  json(await revokeKey(user.id, params.id!, body, actor)),
);
