import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { z } from "zod";

export const GET = declareRoute({
  access: "user",
  scope: null,
  operationId: "listMySessions",
  summary: "Your active sessions",
  description: "Every browser signed in to the account, most recently used first.",
  tag: "Account",
  responses: R.ok(z.object({ items: z.array(R.ZSession) })),
});
