import { declareRoute } from "@/lib/routes/declaration";
import { ZLeakReport } from "@/lib/leaks/report-leak";
import { rateLimitKey } from "@/lib/net/client-address";
import { RateLimiter } from "@/lib/limits/rate-limiter";
import { env } from "@/lib/env";
import { z } from "zod";

/** Per client; its state lives as long as the process. */
const limiter = new RateLimiter({ limit: env.LEAK_REPORT_RATE_LIMIT });

export const POST = declareRoute({
  access: "public",
  body: ZLeakReport,
  rateLimit: (ip) => limiter.admit(rateLimitKey(ip)),
  operationId: "reportLeak",
  summary: "Report a leaked key",
  description: "Always the same 202, so it cannot be used to test keys. A genuine key is blacklisted LEAKED at once.",
  tag: "Leaked keys",
  responses: {
    202: { description: "Received", schema: z.object({ received: z.literal(true), message: z.string() }) },
  },
  errors: [429],
  examples: { body: { key: ["kw_x", "kw_KeywardSecretScanningTestKey003Vj8io"], url: ["https://gist.example.com/x"] } },
});
