// GET /api/v1/teams/:id/members – the team's members and their roles (any member)
import { json } from "@/lib/api/respond";
import { ZIdParams } from "@/lib/api/text";
import { withApi } from "@/lib/api/with-api";
import { listMembers } from "@/lib/teams/members";

export const GET = withApi({ access: "user", params: ZIdParams }, async ({ user, params }) => json({ items: await listMembers(user.id, params.id!) }));
