import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { ZIdParams } from "@/lib/api/text";
import { z } from "zod";
import { ZInviteRequest } from "@/lib/teams/invitations";

export const GET = declareRoute({
  access: "user",
  scope: "teams:read",
  params: ZIdParams,
  operationId: "listTeamInvitations",
  summary: "Pending invitations (admins)",
  tag: "Teams",
  responses: R.ok(z.object({ items: z.array(R.ZTeamInvitation) })),
  errors: [403],
});

export const POST = declareRoute({
  access: "user",
  scope: "teams:write",
  params: ZIdParams,
  body: ZInviteRequest,
  operationId: "inviteToTeam",
  summary: "Invite by email with a role (admins; owners invite owners)",
  description:
    "The invitation is emailed through the outbox and works for 7 days; a new one to the same address replaces the pending one.",
  tag: "Teams",
  responses: { 201: { description: "Invited", schema: R.ZTeamInvitation } },
  errors: [403, 409],
  examples: { body: { email: ["invitee@example.test"], role: ["MEMBER", "ADMIN", "OWNER"] } },
});
