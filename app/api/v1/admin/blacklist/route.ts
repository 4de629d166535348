// POST /api/v1/admin/blacklist – blacklist any key as LEAKED/REVOKED, by id or pasted key (admins)
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { blacklistKey } from "@/lib/keys/change/blacklist-key";
import * as declared from "./declaration";

export const POST = withApi(declared.POST, async ({ body, actor }) => json(await blacklistKey(body, actor)));
