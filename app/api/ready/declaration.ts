import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";

export const GET = declareRoute({
  access: "public",
  operationId: "ready",
  summary: "Readiness: the database, its migrations, the key cache's LISTEN connection and Redis",
  description:
    "For load balancers and orchestrators: 503 while any part this configuration uses does not answer, naming it in `failing`.",
  tag: "Service",
  responses: {
    200: { description: "Ready: every part answers", schema: R.ZReadiness },
    503: { description: "Not ready: the parts in `failing` do not answer", schema: R.ZReadiness },
  },
});
