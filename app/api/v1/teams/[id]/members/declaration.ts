import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { ZIdParams } from "@/lib/api/text";
import { z } from "zod";

export const GET = declareRoute({
  access: "user",
  scope: "teams:read",
  params: ZIdParams,
  operationId: "listTeamMembers",
  summary: "A team's members",
  tag: "Teams",
  responses: R.ok(z.object({ items: z.array(R.ZTeamMember) })),
});
