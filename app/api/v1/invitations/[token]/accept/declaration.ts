import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { ZInvitationParams } from "@/lib/teams/invitations";

export const POST = declareRoute({
  access: "user",
  scope: null,
  params: ZInvitationParams,
  operationId: "acceptInvitation",
  summary: "Accept an invitation",
  description: "Signed in with the invited, verified address. Every outcome is a 200 saying what happened.",
  tag: "Teams",
  responses: R.ok(R.ZAcceptResult),
});
