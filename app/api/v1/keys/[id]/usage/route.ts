// GET /api/v1/keys/:id/usage – a key's verifications per hour or day and outcome, zero-filled, with totals
import { json } from "@/lib/api/respond";
import { ZIdParams } from "@/lib/api/text";
import { withApi } from "@/lib/api/with-api";
import { getKeyUsage } from "@/lib/usage/key-usage";
import { ZKeyUsageQuery } from "@/lib/usage/usage-range";

export const GET = withApi({ access: "user", params: ZIdParams, query: ZKeyUsageQuery }, async ({ user, params, query }) =>
  json(await getKeyUsage(user.id, params.id!, query)),
);
