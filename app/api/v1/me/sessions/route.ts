// GET /api/v1/me/sessions – the signed-in account's active sessions (device, address, last seen)
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { listSessions } from "@/lib/sessions/manage-sessions";
import * as declared from "./declaration";

export const GET = withApi(declared.GET, async ({ user }) =>
  json({ items: await listSessions(user.id, user.sessionId ?? null) }),
);
