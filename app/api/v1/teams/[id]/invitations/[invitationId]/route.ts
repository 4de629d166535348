// DELETE /api/v1/teams/:id/invitations/:invitationId – revoke a pending invitation (admins)
import { z } from "zod";
import { json } from "@/lib/api/respond";
import { zId } from "@/lib/api/text";
import { withApi } from "@/lib/api/with-api";
import { revokeInvitation } from "@/lib/teams/invitations";

const ZInvitationIdParams = z.object({ id: zId, invitationId: zId });

export const DELETE = withApi({ access: "user", params: ZInvitationIdParams }, async ({ user, params, actor }) => {
  await revokeInvitation(user.id, params.id!, params.invitationId!, actor);
  return json({ revoked: true });
});
