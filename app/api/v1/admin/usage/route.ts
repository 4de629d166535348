// GET /api/v1/admin/usage – every key's traffic per hour, the top and most refused keys, unused keys (admins)
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/api/with-api";
import { adminUsageOverview, ZAdminUsageQuery } from "@/lib/usage/admin-usage";

export const GET = withApi({ access: "admin", query: ZAdminUsageQuery }, async ({ query }) => json(await adminUsageOverview(query)));
