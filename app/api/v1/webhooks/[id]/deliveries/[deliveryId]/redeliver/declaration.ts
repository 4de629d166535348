import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { ZDeliveryParams } from "@/lib/webhooks/deliveries";

export const POST = declareRoute({
  access: "user",
  scope: "webhooks:write",
  params: ZDeliveryParams,
  operationId: "redeliverWebhook",
  summary: "Send a delivery again",
  tag: "Webhooks",
  responses: { 202: { description: "Queued", schema: R.flag("queued", true) } },
});
