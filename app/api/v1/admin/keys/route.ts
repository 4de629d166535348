// GET /api/v1/admin/keys – every user's keys, searchable by owner, name and prefix (admins)
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/api/with-api";
import { listKeys, ZListKeysQuery } from "@/lib/keys/list-keys";

export const GET = withApi({ access: "admin", query: ZListKeysQuery }, async ({ query }) =>
  json(await listKeys({ admin: true }, query)),
);
