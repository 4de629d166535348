// GET /api/v1/me/preferences – email preferences; PATCH – change some of them
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { getPreferences, updatePreferences } from "@/lib/notify/preferences";
import * as declared from "./declaration";

export const GET = withApi(declared.GET, async ({ user }) => json(await getPreferences(user.id)));

export const PATCH = withApi(declared.PATCH, async ({ user, body }) => json(await updatePreferences(user.id, body)));
