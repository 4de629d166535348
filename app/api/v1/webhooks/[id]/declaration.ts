import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { ZIdParams } from "@/lib/api/text";
import { ZUpdateWebhookRequest } from "@/lib/webhooks/endpoints";

export const GET = declareRoute({
  access: "user",
  scope: "webhooks:read",
  params: ZIdParams,
  operationId: "getWebhook",
  summary: "One webhook endpoint",
  tag: "Webhooks",
  responses: R.ok(R.ZWebhookEndpoint),
});

export const PATCH = declareRoute({
  access: "user",
  scope: "webhooks:write",
  params: ZIdParams,
  body: ZUpdateWebhookRequest,
  operationId: "updateWebhook",
  summary: "Change a webhook endpoint",
  tag: "Webhooks",
  responses: R.ok(R.ZWebhookEndpoint),
  examples: {
    body: {
      url: ["https://hooks.example.com/other"],
      eventTypes: [["key.leaked"]],
      enabled: [true, false],
      description: [null, "x"],
    },
  },
});

export const DELETE = declareRoute({
  access: "user",
  scope: "webhooks:write",
  params: ZIdParams,
  operationId: "deleteWebhook",
  summary: "Delete a webhook endpoint",
  tag: "Webhooks",
  responses: R.ok(R.flag("deleted", true)),
});
