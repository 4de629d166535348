// POST /api/v1/webhooks/:id/roll-secret – a new signing secret (in the answer, once); the old one
// still signs alongside it for 24 hours
import { json } from "@/lib/api/respond";
import { ZIdParams } from "@/lib/api/text";
import { withApi } from "@/lib/api/with-api";
import { rollWebhookSecret } from "@/lib/webhooks/endpoints";

export const POST = withApi({ access: "user", params: ZIdParams }, async ({ user, params, actor }) =>
  json(await rollWebhookSecret(user, params.id!, actor)),
);
