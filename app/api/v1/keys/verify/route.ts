// POST /api/v1/keys/verify – external services check a key: 200 with { valid, code, … }
import { json } from "@/lib/api/respond";
import { RateLimiter } from "@/lib/api/rate-limit";
import { withApi } from "@/lib/api/with-api";
import { env } from "@/lib/env";
import { verifyKey, ZVerifyRequest } from "@/lib/keys/verify-key";

const limiter = new RateLimiter(env.VERIFY_RATE_LIMIT);

export const POST = withApi({ access: "public", body: ZVerifyRequest, rateLimit: limiter }, async ({ body }) =>
  json(await verifyKey(body.key, body.scope)),
);
