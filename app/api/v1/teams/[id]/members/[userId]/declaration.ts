import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { ZChangeRoleRequest, ZMemberParams } from "@/lib/teams/members";

export const PATCH = declareRoute({
  access: "user",
  scope: "teams:write",
  params: ZMemberParams,
  body: ZChangeRoleRequest,
  recentAuth: true,
  operationId: "changeTeamRole",
  summary: "Change a member's role (owners)",
  description: "The last owner cannot be demoted (409).",
  tag: "Teams",
  responses: R.ok(R.ZTeamMember),
  errors: [403, 409],
  examples: { body: { role: ["MEMBER", "ADMIN", "OWNER"] } },
});

export const DELETE = declareRoute({
  access: "user",
  scope: "teams:write",
  params: ZMemberParams,
  operationId: "removeTeamMember",
  summary: "Remove a member (admins; owners for owners), or leave (yourself)",
  description:
    "Takes effect at the member's next request. The keys they issued stay the team's. The last owner cannot leave (409).",
  tag: "Teams",
  responses: R.ok(R.flag("removed", true)),
  errors: [403, 409],
});
