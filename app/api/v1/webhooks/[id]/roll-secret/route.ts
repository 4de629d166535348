// POST /api/v1/webhooks/:id/roll-secret – a new signing secret (in the answer, once); the old one
// still signs alongside it for 24 hours
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { rollWebhookSecret } from "@/lib/webhooks/endpoints";
import * as declared from "./declaration";

export const POST = withApi(declared.POST, async ({ user, params, actor }) =>
  json(await rollWebhookSecret(user, params.id, actor)),
);
