// GET /api/v1/admin/outbox – emails with delivery status and errors, filterable (admins)
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/api/with-api";
import { listOutbox, ZListOutboxQuery } from "@/lib/notify/list-outbox";

export const GET = withApi({ access: "admin", query: ZListOutboxQuery }, async ({ query }) => json(await listOutbox(query)));
