// GET /api/v1/admin/users – every account, searchable by email or name (admins)
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { listUsers } from "@/lib/users/admin-users";
import * as declared from "./declaration";

export const GET = withApi(declared.GET, async ({ query }) => json(await listUsers(query)));
