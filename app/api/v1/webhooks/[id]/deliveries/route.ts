// GET /api/v1/webhooks/:id/deliveries – recent deliveries: status, response, attempts, next retry
import { json } from "@/lib/api/respond";
import { ZIdParams } from "@/lib/api/text";
import { withApi } from "@/lib/api/with-api";
import { listDeliveries, ZListDeliveriesQuery } from "@/lib/webhooks/deliveries";

export const GET = withApi({ access: "user", params: ZIdParams, query: ZListDeliveriesQuery }, async ({ user, params, query }) =>
  json(await listDeliveries(user, params.id!, query)),
);
