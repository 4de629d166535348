import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { ZIdParams } from "@/lib/api/text";

export const POST = declareRoute({
  access: "admin",
  scope: "admin:write",
  params: ZIdParams,
  operationId: "adminSignOutUser",
  summary: "End every session of a user",
  tag: "Admin",
  responses: R.ok(R.flag("signedOut", true)),
});
