import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { rateLimitKey } from "@/lib/net/client-address";
import { RateLimiter } from "@/lib/limits/rate-limiter";
import { env } from "@/lib/env";

/** Per client; its state lives as long as the process. */
const limiter = new RateLimiter({ limit: env.PASSKEY_OPTIONS_RATE_LIMIT });

export const POST = declareRoute({
  access: "public",
  rateLimit: (ip) => limiter.admit(rateLimitKey(ip)),
  operationId: "passkeySignInOptions",
  summary: "Start signing in with a passkey",
  description:
    "WebAuthn authentication options without allowCredentials, for @simplewebauthn/browser's `startAuthentication({ optionsJSON })`: the browser offers the passkeys it holds for this site. Post the answer's JSON as `assertion` to next-auth's `/api/auth/callback/passkey` (with `csrfToken`). Its challenge is good for 5 minutes, once. Rate-limited per client (PASSKEY_OPTIONS_RATE_LIMIT).",
  tag: "Account",
  responses: R.ok(R.ZPasskeyAuthenticationOptions),
  errors: [429, 503],
});
