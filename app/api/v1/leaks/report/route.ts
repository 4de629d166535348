// POST /api/v1/leaks/report – anyone reports a leaked key ({key, url?}); always 202, so it
// cannot be used to learn whether a key exists; rate-limited per client
import { RateLimiter } from "@/lib/api/rate-limit";
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/api/with-api";
import { env } from "@/lib/env";
import { reportLeak, ZLeakReport } from "@/lib/leaks/report-leak";
import { rateLimitKey } from "@/lib/net/client-address";

const limiter = new RateLimiter({ limit: env.LEAK_REPORT_RATE_LIMIT });

export const POST = withApi(
  { access: "public", body: ZLeakReport, rateLimit: (ip) => limiter.admit(rateLimitKey(ip)) },
  async ({ body, actor }) => {
    await reportLeak(body, actor.ip);
    return json({ received: true, message: "Thank you. If this is a key of this site, it has been disabled and its owner told." }, { status: 202 });
  },
);
