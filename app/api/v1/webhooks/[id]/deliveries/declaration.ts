import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { ZIdParams } from "@/lib/api/text";
import { ZListDeliveriesQuery } from "@/lib/webhooks/deliveries";
import { z } from "zod";
import { PAGING } from "@/app/api/examples";

export const GET = declareRoute({
  access: "user",
  scope: "webhooks:read",
  params: ZIdParams,
  query: ZListDeliveriesQuery,
  operationId: "listWebhookDeliveries",
  summary: "Recent deliveries",
  tag: "Webhooks",
  responses: R.ok(
    z.object({
      items: z.array(R.ZWebhookDelivery),
      page: z.number().int(),
      pageSize: z.number().int(),
      total: z.null(),
      hasNext: z.boolean(),
    }),
  ),
  examples: { query: PAGING },
});
