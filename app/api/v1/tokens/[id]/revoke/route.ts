// POST /api/v1/tokens/:id/revoke – revoke an API token: refused at once, on every instance
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { revokeToken } from "@/lib/tokens/manage-tokens";
import * as declared from "./declaration";

export const POST = withApi(declared.POST, async ({ user, token, params, body, actor }) =>
  json(await revokeToken({ user, token }, params.id, body, actor)),
);
