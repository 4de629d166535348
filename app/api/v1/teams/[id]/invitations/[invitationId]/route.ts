// DELETE /api/v1/teams/:id/invitations/:invitationId – revoke a pending invitation (admins)
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/api/with-api";
import { revokeInvitation, ZInvitationIdParams } from "@/lib/teams/invitations";

export const DELETE = withApi({ access: "user", params: ZInvitationIdParams }, async ({ user, params, actor }) => {
  await revokeInvitation(user.id, params.id!, params.invitationId!, actor);
  return json({ revoked: true });
});
