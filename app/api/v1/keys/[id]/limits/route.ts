// PATCH /api/v1/keys/:id/limits – change a key's rate limit, allowed client IPs or usage cap (absent: unchanged)
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { updateKeyLimits } from "@/lib/keys/change/update-limits";
import * as declared from "./declaration";

export const PATCH = withApi(declared.PATCH, async ({ user, params, body, actor }) =>
  json(await updateKeyLimits(user.id, params.id, body, actor)),
);
