import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { z } from "zod";
import { ZCreateTeamRequest } from "@/lib/teams/teams";

export const GET = declareRoute({
  access: "user",
  scope: "teams:read",
  operationId: "listTeams",
  summary: "The teams you belong to",
  tag: "Teams",
  responses: R.ok(z.object({ items: z.array(R.ZTeam) })),
});

export const POST = declareRoute({
  access: "user",
  scope: "teams:write",
  body: ZCreateTeamRequest,
  operationId: "createTeam",
  summary: "Create a team (you become its owner)",
  description: "Needs a verified address (403). A slug already taken answers 409.",
  tag: "Teams",
  responses: { 201: { description: "Created", schema: R.ZTeam } },
  errors: [403, 409],
  examples: { body: { name: ["Fuzz team"], slug: ["fuzz-team", "-bad-"] } },
});
