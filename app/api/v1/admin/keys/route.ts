// GET /api/v1/admin/keys – every key, searchable by owner, name and prefix, filterable by owner
// (?ownerType=user|team, ?user=<id>, ?team=<id>) (admins)
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/api/with-api";
import { listKeys, ZAdminKeysQuery } from "@/lib/keys/list-keys";

export const GET = withApi({ access: "admin", query: ZAdminKeysQuery }, async ({ query }) =>
  json(await listKeys({ admin: true }, query)),
);
