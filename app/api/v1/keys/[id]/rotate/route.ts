// POST /api/v1/keys/:id/rotate – new key with the same name and scopes; the old one gets a grace period
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { rotateKey } from "@/lib/keys/change/rotate-key";
import * as declared from "./declaration";

export const POST = withApi(declared.POST, async ({ user, params, body, actor }) =>
  json(await rotateKey(user.id, params.id, body, actor), { status: 201 }),
);
