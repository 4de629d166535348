import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";

export const GET = declareRoute({
  access: "key",
  operationId: "whoAmI",
  summary: "The key and owner the gate authenticated",
  description:
    "Behind the gate: `Authorization: Bearer <key>` or `X-API-Key: <key>`. A refused key answers 403 with the verify route's body; a key past its rate limit answers 429 with that body (RATE_LIMITED) and `Retry-After`.",
  tag: "Keys",
  responses: {
    ...R.ok(R.ZWhoAmI),
    403: {
      description: "The key is refused: the verify route's verdict (code, renewUrl, …)",
      schema: R.ZVerifyResult,
    },
    429: {
      description:
        "The key's rate limit is used up (the verdict, RATE_LIMITED), or this client sent too many key checks (a Problem); wait Retry-After seconds",
      content: {
        "application/json": { schema: R.ZVerifyResult },
        "application/problem+json": { schema: R.ZProblem },
      },
    },
  },
});
