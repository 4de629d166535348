import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { ZIdParams } from "@/lib/api/text";

export const DELETE = declareRoute({
  access: "user",
  scope: null,
  params: ZIdParams,
  operationId: "endMySession",
  summary: "End one of your sessions",
  description: "That browser is signed out at its next request. 404 for a session that is not yours or has ended.",
  tag: "Account",
  responses: R.ok(R.flag("ended", true)),
});
