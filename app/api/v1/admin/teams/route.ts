// GET /api/v1/admin/teams – every team with its owners, members and working keys (site admins)
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { listAllTeams } from "@/lib/teams/teams";
import * as declared from "./declaration";

export const GET = withApi(declared.GET, async () => json({ items: await listAllTeams() }));
