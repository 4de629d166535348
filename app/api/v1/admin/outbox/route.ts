// GET /api/v1/admin/outbox – emails with delivery status and errors, filterable (admins)
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { listOutbox } from "@/lib/notify/list-outbox";
import * as declared from "./declaration";

export const GET = withApi(declared.GET, async ({ query }) => json(await listOutbox(query)));
