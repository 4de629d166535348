import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";

export const GET = declareRoute({
  access: "public",
  operationId: "ping",
  summary: "Liveness without the database",
  tag: "Service",
  responses: R.ok(R.ZPing),
});
