// GET /api/v1/admin/users – every account, searchable by email or name (admins)
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/api/with-api";
import { listUsers, ZListUsersQuery } from "@/lib/users/admin-users";

export const GET = withApi({ access: "admin", query: ZListUsersQuery }, async ({ query }) => json(await listUsers(query)));
