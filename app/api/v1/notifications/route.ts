// GET /api/v1/notifications – the signed-in user's notices, newest first
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/api/with-api";
import { getPreferences } from "@/lib/notify/preferences";
import { listNotifications, ZListNotificationsQuery } from "@/lib/notify/notifications";

export const GET = withApi({ access: "user", query: ZListNotificationsQuery }, async ({ user, query }) => {
  const { timeZone } = await getPreferences(user.id);
  return json(await listNotifications(user.id, query, timeZone));
});
