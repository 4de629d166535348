// PATCH /api/v1/keys/:id/limits – change a key's rate limit, allowed client IPs or usage cap (absent: unchanged)
import { json } from "@/lib/api/respond";
import { ZIdParams } from "@/lib/api/text";
import { withApi } from "@/lib/api/with-api";
import { ZKeyLimits } from "@/lib/limits/key-limits";
import { updateKeyLimits } from "@/lib/keys/update-limits";

export const PATCH = withApi({ access: "user", params: ZIdParams, body: ZKeyLimits }, async ({ user, params, body, actor }) =>
  json(await updateKeyLimits(user.id, params.id!, body, actor)),
);
