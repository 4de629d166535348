// GET /api/v1/webhooks?scope=personal|team|global[&teamId=] – your, your team's (its owners and admins) or global (site admins) endpoints;
// POST /api/v1/webhooks – add one (the signing secret is in the answer, once)
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/api/with-api";
import { createWebhook, listWebhooks, ZCreateWebhookRequest, ZListWebhooksQuery } from "@/lib/webhooks/endpoints";

export const GET = withApi({ access: "user", query: ZListWebhooksQuery }, async ({ user, query }) =>
  json({ items: await listWebhooks(user, query) }),
);

export const POST = withApi({ access: "user", body: ZCreateWebhookRequest }, async ({ user, body, actor }) =>
  json(await createWebhook(user, body, actor), { status: 201 }),
);
