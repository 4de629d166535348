import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { ZIdParams } from "@/lib/api/text";

export const POST = declareRoute({
  access: "admin",
  scope: "admin:write",
  params: ZIdParams,
  recentAuth: true,
  operationId: "adminResetSecondFactor",
  summary: "Remove a user's second factor",
  description:
    "For someone who lost their authenticator and their recovery codes. Audited; the user is emailed; every session of theirs ends. 409 when they have none.",
  tag: "Admin",
  responses: R.ok(R.flag("reset", true)),
  errors: [409],
});
