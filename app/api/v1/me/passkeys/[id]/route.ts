// PATCH /api/v1/me/passkeys/:id – rename one of your passkeys ({name}); DELETE – remove it
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { removePasskey, renamePasskey } from "@/lib/passkeys";
import * as declared from "./declaration";

export const PATCH = withApi(declared.PATCH, async ({ user, params, body, actor }) =>
  json(await renamePasskey(user.id, params.id, body.name, actor)),
);

export const DELETE = withApi(declared.DELETE, async ({ user, params, actor }) => {
  await removePasskey(user.id, params.id, actor);
  return json({ deleted: true });
});
