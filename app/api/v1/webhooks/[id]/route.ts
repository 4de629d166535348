// GET/PATCH/DELETE /api/v1/webhooks/:id – one of your webhook endpoints (global ones: admins)
import { json } from "@/lib/api/respond";
import { ZIdParams } from "@/lib/api/text";
import { withApi } from "@/lib/api/with-api";
import { deleteWebhook, getWebhook, updateWebhook, ZUpdateWebhookRequest } from "@/lib/webhooks/endpoints";

export const GET = withApi({ access: "user", params: ZIdParams }, async ({ user, params }) => json(await getWebhook(user, params.id!)));

export const PATCH = withApi({ access: "user", params: ZIdParams, body: ZUpdateWebhookRequest }, async ({ user, params, body, actor }) =>
  json(await updateWebhook(user, params.id!, body, actor)),
);

export const DELETE = withApi({ access: "user", params: ZIdParams }, async ({ user, params, actor }) => {
  await deleteWebhook(user, params.id!, actor);
  return json({ deleted: true });
});
