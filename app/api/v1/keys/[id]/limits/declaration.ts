import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { ZIdParams } from "@/lib/api/text";
import { ZKeyLimits } from "@/lib/limits/key-limits";

export const PATCH = declareRoute({
  access: "user",
  scope: "keys:write",
  params: ZIdParams,
  body: ZKeyLimits,
  operationId: "changeKeyLimits",
  summary: "Change a key's limits",
  description:
    "Each field sent replaces that limit (`null` removes a rate limit or cap, `[]` an allowlist); fields left out stay. Every instance obeys the new limits from the next verification; raising a usage cap revives a key that answered USAGE_EXCEEDED. For a team key: its issuer or a team admin (403 otherwise). A key that no longer works (blacklisted or expired) answers 409.",
  tag: "Keys",
  responses: R.ok(R.ZKeyView, "The key with its new limits"),
  errors: [403, 409],
  examples: {
    body: {
      rateLimit: [
        { limit: 10, window: "second" },
        { limit: 5000, window: "day" },
        null,
        { limit: 1.5, window: "hour" },
      ],
      allowedIps: [["198.51.100.7"], ["::1", "10.0.0.0/8"], [], ["not-an-ip"]],
      usageCap: [1, 1_000_000, null, -1],
    },
  },
});
