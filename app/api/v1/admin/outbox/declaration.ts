import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { ZListOutboxQuery } from "@/lib/notify/list-outbox";
import { PAGING } from "@/app/api/examples";

export const GET = declareRoute({
  access: "admin",
  scope: "admin:read",
  query: ZListOutboxQuery,
  operationId: "adminListOutbox",
  summary: "Emails with delivery status",
  tag: "Admin",
  responses: R.ok(R.ZOutboxPage),
  examples: { query: { status: ["SENT", "STORED"], to: ["@"], ...PAGING } },
});
