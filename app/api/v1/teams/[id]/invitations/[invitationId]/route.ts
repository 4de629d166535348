// DELETE /api/v1/teams/:id/invitations/:invitationId – revoke a pending invitation (admins)
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { revokeInvitation } from "@/lib/teams/invitations";
import * as declared from "./declaration";

export const DELETE = withApi(declared.DELETE, async ({ user, params, actor }) => {
  await revokeInvitation(user.id, params.id, params.invitationId, actor);
  return json({ revoked: true });
});
