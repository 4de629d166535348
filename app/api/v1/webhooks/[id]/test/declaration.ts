import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { ZIdParams } from "@/lib/api/text";

export const POST = declareRoute({
  access: "user",
  scope: "webhooks:write",
  params: ZIdParams,
  operationId: "testWebhook",
  summary: "Send a test event now",
  tag: "Webhooks",
  responses: R.ok(R.ZWebhookDelivery, "How the receiver took it"),
});
