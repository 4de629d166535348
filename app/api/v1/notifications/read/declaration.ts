import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { ZMarkReadRequest } from "@/lib/notify/notifications";
import { z } from "zod";

export const POST = declareRoute({
  access: "user",
  scope: null,
  body: ZMarkReadRequest,
  operationId: "markNotificationsRead",
  summary: "Mark notices read",
  tag: "Account",
  responses: R.ok(z.object({ updated: z.number().int() })),
  examples: { body: { ids: [["x"]], all: [true] } },
});
