// GET /api/v1/admin/teams – every team with its owners, members and working keys (site admins)
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/api/with-api";
import { listAllTeams } from "@/lib/teams/teams";

export const GET = withApi({ access: "admin" }, async () => json({ items: await listAllTeams() }));
