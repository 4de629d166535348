import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { ZUserSessionParams } from "@/lib/sessions/manage-sessions";

export const DELETE = declareRoute({
  access: "admin",
  scope: "admin:write",
  params: ZUserSessionParams,
  operationId: "adminEndUserSession",
  summary: "End one session of a user",
  description: "404 when the session is not that user's, or has ended.",
  tag: "Admin",
  responses: R.ok(R.flag("ended", true)),
});
