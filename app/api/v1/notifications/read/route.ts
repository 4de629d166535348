// POST /api/v1/notifications/read – mark notices read: { ids: [...] } or { all: true }
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/api/with-api";
import { markRead, ZMarkReadRequest } from "@/lib/notify/notifications";

export const POST = withApi({ access: "user", body: ZMarkReadRequest }, async ({ user, body }) =>
  json(await markRead(user.id, body)),
);
