// GET /api/v1/admin/keys – every key, searchable by owner, name and prefix, filterable by owner
// (?ownerType=user|team, ?user=<id>, ?team=<id>) (admins)
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { listKeys } from "@/lib/keys/read/list-keys";
import * as declared from "./declaration";

export const GET = withApi(declared.GET, async ({ query }) => json(await listKeys({ admin: true }, query)));
