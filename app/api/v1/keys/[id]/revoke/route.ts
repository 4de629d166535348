// POST /api/v1/keys/:id/revoke – the owner revokes their key (blacklisted as REVOKED)
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { revokeKey } from "@/lib/keys/change/revoke-key";
import * as declared from "./declaration";

export const POST = withApi(declared.POST, async ({ user, params, body, actor }) =>
  json(await revokeKey(user.id, params.id, body, actor)),
);
