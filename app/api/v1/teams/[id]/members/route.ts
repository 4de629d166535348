// GET /api/v1/teams/:id/members – the team's members and their roles (any member)
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { listMembers } from "@/lib/teams/members";
import * as declared from "./declaration";

export const GET = withApi(declared.GET, async ({ user, params }) =>
  json({ items: await listMembers(user.id, params.id) }),
);
