// POST /api/v1/invitations/:token/accept – join the team (signed in, with the invited, verified address)
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { acceptInvitation } from "@/lib/teams/invitations";
import * as declared from "./declaration";

export const POST = withApi(declared.POST, async ({ user, params, actor }) =>
  json(await acceptInvitation(params.token, user, actor.ip)),
);
