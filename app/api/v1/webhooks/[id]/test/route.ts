// POST /api/v1/webhooks/:id/test – send a test event now; answers how the receiver took it
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { sendTestEvent } from "@/lib/webhooks/deliveries";
import * as declared from "./declaration";

export const POST = withApi(declared.POST, async ({ user, params }) => json(await sendTestEvent(user, params.id)));
