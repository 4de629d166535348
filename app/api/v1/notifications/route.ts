// GET /api/v1/notifications – the signed-in user's notices, newest first
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { getPreferences } from "@/lib/notify/preferences";
import { listNotifications } from "@/lib/notify/notifications";
import * as declared from "./declaration";

export const GET = withApi(declared.GET, async ({ user, query }) => {
  const { timeZone } = await getPreferences(user.id);
  return json(await listNotifications(user.id, query, timeZone));
});
