import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { ZIdParams } from "@/lib/api/text";

export const POST = declareRoute({
  access: "admin",
  scope: "admin:write",
  params: ZIdParams,
  operationId: "adminSendPasswordReset",
  summary: "Email a user a link to choose a new password",
  description:
    'The same link as "Forgot password?" sends (single-use, valid for an hour), with a note that an admin sent it. Nothing changes until the user uses it.',
  tag: "Admin",
  responses: { 202: { description: "Sent (or waiting in the outbox without SMTP)", schema: R.flag("sent", true) } },
});
