// POST /api/v1/webhooks/:id/deliveries/:deliveryId/redeliver – send a delivery again
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { redeliver } from "@/lib/webhooks/deliveries";
import * as declared from "./declaration";

export const POST = withApi(declared.POST, async ({ user, params }) => {
  await redeliver(user, params.id, params.deliveryId);
  return json({ queued: true }, { status: 202 });
});
