import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { ZInvitationIdParams } from "@/lib/teams/invitations";

export const DELETE = declareRoute({
  access: "user",
  scope: "teams:write",
  params: ZInvitationIdParams,
  operationId: "revokeTeamInvitation",
  summary: "Revoke a pending invitation (admins)",
  tag: "Teams",
  responses: R.ok(R.flag("revoked", true)),
  errors: [403],
});
