import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { ZCreateWebhookRequest, ZListWebhooksQuery } from "@/lib/webhooks/endpoints";
import { z } from "zod";

export const GET = declareRoute({
  access: "user",
  scope: "webhooks:read",
  query: ZListWebhooksQuery,
  operationId: "listWebhooks",
  summary: "Your webhook endpoints",
  tag: "Webhooks",
  responses: R.ok(z.object({ items: z.array(R.ZWebhookEndpoint) })),
  errors: [403],
  examples: { query: { scope: ["personal", "global"] } },
});

export const POST = declareRoute({
  access: "user",
  scope: "webhooks:write",
  body: ZCreateWebhookRequest,
  recentAuth: true,
  operationId: "createWebhook",
  summary: "Add a webhook endpoint",
  description: "The signing secret is in this answer, once. `scope: global` (every key's events) is for site admins.",
  tag: "Webhooks",
  responses: {
    201: { description: "Added", schema: z.object({ endpoint: R.ZWebhookEndpoint, secret: z.string() }) },
  },
  errors: [403],
  examples: {
    body: {
      url: ["https://hooks.example.com/keyward", "http://127.0.0.1/x"],
      eventTypes: [["key.revoked"], ["key.created", "key.expired"]],
      description: ["ci"],
      scope: ["personal", "global"],
    },
  },
});
