// POST /api/v1/webhooks/:id/test – send a test event now; answers how the receiver took it
import { json } from "@/lib/api/respond";
import { ZIdParams } from "@/lib/api/text";
import { withApi } from "@/lib/api/with-api";
import { sendTestEvent } from "@/lib/webhooks/deliveries";

export const POST = withApi({ access: "user", params: ZIdParams }, async ({ user, params }) => json(await sendTestEvent(user, params.id!)));
