// GET /api/v1/keys/:id/usage – a key's verifications per hour or day and outcome, zero-filled, with totals
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { getKeyUsage } from "@/lib/usage/key-usage";
import * as declared from "./declaration";

export const GET = withApi(declared.GET, async ({ user, params, query }) =>
  json(await getKeyUsage(user.id, params.id, query)),
);
