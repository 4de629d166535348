import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { ZIdParams } from "@/lib/api/text";
import { z } from "zod";

export const GET = declareRoute({
  access: "admin",
  scope: "admin:read",
  params: ZIdParams,
  operationId: "adminListUserSessions",
  summary: "A user's active sessions",
  tag: "Admin",
  responses: R.ok(z.object({ items: z.array(R.ZSession) })),
});
