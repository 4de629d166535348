import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { ZListNotificationsQuery } from "@/lib/notify/notifications";
import { PAGING } from "@/app/api/examples";

export const GET = declareRoute({
  access: "user",
  scope: null,
  query: ZListNotificationsQuery,
  operationId: "listNotifications",
  summary: "Your notices",
  tag: "Account",
  responses: R.ok(R.ZNotificationPage),
  examples: { query: { unread: ["true", "false"], ...PAGING } },
});
