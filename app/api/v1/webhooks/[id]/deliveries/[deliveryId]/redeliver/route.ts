// POST /api/v1/webhooks/:id/deliveries/:deliveryId/redeliver – send a delivery again
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/api/with-api";
import { redeliver, ZDeliveryParams } from "@/lib/webhooks/deliveries";

export const POST = withApi({ access: "user", params: ZDeliveryParams }, async ({ user, params }) => {
  await redeliver(user, params.id!, params.deliveryId!);
  return json({ queued: true }, { status: 202 });
});
