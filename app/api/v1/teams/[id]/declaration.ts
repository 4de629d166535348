import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { ZIdParams } from "@/lib/api/text";
import { ZRenameTeamRequest } from "@/lib/teams/teams";

export const GET = declareRoute({
  access: "user",
  scope: "teams:read",
  params: ZIdParams,
  operationId: "getTeam",
  summary: "A team you belong to",
  tag: "Teams",
  responses: R.ok(R.ZTeam),
});

export const PATCH = declareRoute({
  access: "user",
  scope: "teams:write",
  params: ZIdParams,
  body: ZRenameTeamRequest,
  operationId: "renameTeam",
  summary: "Rename a team (owners)",
  tag: "Teams",
  responses: R.ok(R.ZTeam),
  errors: [403],
  examples: { body: { name: ["Renamed"] } },
});

export const DELETE = declareRoute({
  access: "user",
  scope: "teams:write",
  params: ZIdParams,
  recentAuth: true,
  operationId: "deleteTeam",
  summary: "Delete a team (owners)",
  description: "Refused (409) while any team key still works: revoke them or rotate them to another owner first.",
  tag: "Teams",
  responses: R.ok(R.flag("deleted", true)),
  errors: [403, 409],
});
