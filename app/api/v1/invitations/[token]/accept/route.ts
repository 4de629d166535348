// POST /api/v1/invitations/:token/accept – join the team (signed in, with the invited, verified address)
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/api/with-api";
import { acceptInvitation, ZInvitationParams } from "@/lib/teams/invitations";

export const POST = withApi({ access: "user", params: ZInvitationParams }, async ({ user, params, actor }) =>
  json(await acceptInvitation(params.token!, user, actor.ip)),
);
