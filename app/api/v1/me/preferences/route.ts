// GET /api/v1/me/preferences – email preferences; PATCH – change some of them
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/api/with-api";
import { getPreferences, updatePreferences, ZUpdatePreferencesRequest } from "@/lib/notify/preferences";

export const GET = withApi({ access: "user" }, async ({ user }) => json(await getPreferences(user.id)));

export const PATCH = withApi({ access: "user", body: ZUpdatePreferencesRequest }, async ({ user, body }) =>
  json(await updatePreferences(user.id, body)),
);
