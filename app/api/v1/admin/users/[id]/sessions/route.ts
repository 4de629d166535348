// GET /api/v1/admin/users/:id/sessions – a user's active sessions (admins)
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { listSessions } from "@/lib/sessions/manage-sessions";
import * as declared from "./declaration";

export const GET = withApi(declared.GET, async ({ params }) => json({ items: await listSessions(params.id, null) }));
