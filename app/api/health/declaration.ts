import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";

export const GET = declareRoute({
  access: "public",
  operationId: "health",
  summary: "Liveness and database reachability",
  tag: "Service",
  responses: R.ok(R.ZOk),
  errors: [503],
});
