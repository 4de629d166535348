// GET /api/v1/teams/:id/invitations – pending invitations; POST – invite by email with a role (admins)
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { invite, listInvitations } from "@/lib/teams/invitations";
import * as declared from "./declaration";

export const GET = withApi(declared.GET, async ({ user, params }) =>
  json({ items: await listInvitations(user.id, params.id) }),
);

export const POST = withApi(declared.POST, async ({ user, token, params, body, actor }) =>
  json(await invite(user.id, params.id, body, actor, token?.issuedById ?? user.id), { status: 201 }),
);
