// POST /api/v1/tokens/:id/rotate – a new token with the same name and scopes; the old one works for the grace period
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { rotateToken } from "@/lib/tokens/manage-tokens";
import * as declared from "./declaration";

export const POST = withApi(declared.POST, async ({ user, token, params, body, actor }) =>
  json(await rotateToken({ user, token }, params.id, body, actor), { status: 201 }),
);
