// POST /api/v1/notifications/read – mark notices read: { ids: [...] } or { all: true }
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { markRead } from "@/lib/notify/notifications";
import * as declared from "./declaration";

export const POST = withApi(declared.POST, async ({ user, body }) => json(await markRead(user.id, body)));
