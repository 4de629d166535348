import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { z } from "zod";

export const GET = declareRoute({
  access: "admin",
  scope: "admin:read",
  operationId: "adminListTeams",
  summary: "Every team, with its owners",
  tag: "Admin",
  responses: R.ok(z.object({ items: z.array(R.ZAdminTeam) })),
});
