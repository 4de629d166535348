// GET/PATCH/DELETE /api/v1/webhooks/:id – one of your webhook endpoints (global ones: admins)
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { deleteWebhook, getWebhook, updateWebhook } from "@/lib/webhooks/endpoints";
import * as declared from "./declaration";

export const GET = withApi(declared.GET, async ({ user, params }) => json(await getWebhook(user, params.id)));

export const PATCH = withApi(declared.PATCH, async ({ user, params, body, actor }) =>
  json(await updateWebhook(user, params.id, body, actor)),
);

export const DELETE = withApi(declared.DELETE, async ({ user, params, actor }) => {
  await deleteWebhook(user, params.id, actor);
  return json({ deleted: true });
});
