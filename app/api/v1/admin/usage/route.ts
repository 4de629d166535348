// GET /api/v1/admin/usage – every key's traffic per hour, the top and most refused keys, unused keys (admins)
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { adminUsageOverview } from "@/lib/usage/admin-usage";
import * as declared from "./declaration";

export const GET = withApi(declared.GET, async ({ query }) => json(await adminUsageOverview(query)));
