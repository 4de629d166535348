// POST /api/v1/admin/blacklist – blacklist any key as LEAKED/REVOKED, by id or pasted key (admins)
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/api/with-api";
import { blacklistKey, ZBlacklistKeyRequest } from "@/lib/keys/blacklist-key";

export const POST = withApi({ access: "admin", body: ZBlacklistKeyRequest }, async ({ body, actor }) =>
  json(await blacklistKey(body, actor)),
);
