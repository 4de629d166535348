// GET /api/v1/webhooks/:id/deliveries – recent deliveries: status, response, attempts, next retry
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { listDeliveries } from "@/lib/webhooks/deliveries";
import * as declared from "./declaration";

export const GET = withApi(declared.GET, async ({ user, params, query }) =>
  json(await listDeliveries(user, params.id, query)),
);
