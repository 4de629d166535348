import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { ZIdParams } from "@/lib/api/text";

export const GET = declareRoute({
  access: "user",
  scope: "tokens:read",
  params: ZIdParams,
  operationId: "getToken",
  summary: "One API token",
  tag: "API tokens",
  responses: R.ok(R.ZTokenView),
});
