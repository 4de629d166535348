// POST /api/v1/webhooks/:id/deliveries/:deliveryId/redeliver – send a delivery again
import { z } from "zod";
import { json } from "@/lib/api/respond";
import { zId } from "@/lib/api/text";
import { withApi } from "@/lib/api/with-api";
import { redeliver } from "@/lib/webhooks/deliveries";

const ZParams = z.object({ id: zId, deliveryId: zId });

export const POST = withApi({ access: "user", params: ZParams }, async ({ user, params }) => {
  await redeliver(user, params.id!, params.deliveryId!);
  return json({ queued: true }, { status: 202 });
});
