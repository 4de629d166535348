// GET /api/v1/teams/:id/invitations – pending invitations; POST – invite by email with a role (admins)
import { json } from "@/lib/api/respond";
import { ZIdParams } from "@/lib/api/text";
import { withApi } from "@/lib/api/with-api";
import { invite, listInvitations, ZInviteRequest } from "@/lib/teams/invitations";

export const GET = withApi({ access: "user", params: ZIdParams }, async ({ user, params }) => json({ items: await listInvitations(user.id, params.id!) }));

export const POST = withApi({ access: "user", params: ZIdParams, body: ZInviteRequest }, async ({ user, params, body, actor }) =>
  json(await invite(user.id, params.id!, body, actor), { status: 201 }),
);
