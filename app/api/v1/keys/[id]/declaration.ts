import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { ZIdParams } from "@/lib/api/text";

export const GET = declareRoute({
  access: "user",
  scope: "keys:read",
  params: ZIdParams,
  operationId: "getKey",
  summary: "One of your keys",
  tag: "Keys",
  responses: R.ok(R.ZKeyView),
});
