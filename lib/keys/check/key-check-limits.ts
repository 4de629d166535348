import "server-only";
import { RateLimiter } from "@/lib/limits/rate-limiter";
import { env } from "@/lib/env";
import { countRateLimited } from "@/lib/metrics/registry";
import { rateLimitKey } from "@/lib/net/client-address";

// Per-client budgets for checking keys, shared by the verify route and the gate (one process,
// one budget: they are kept on globalThis because the gate and the routes are bundled apart).
// Every check counts against VERIFY_RATE_LIMIT. A check of a key that does not exist also counts
// against VERIFY_MISS_LIMIT: the checksum is public, so invented keys pass it, and each one costs
// a database lookup; a client that has used up its misses is refused everything until the
// window ends.

interface Limits {
  checks: RateLimiter;
  misses: RateLimiter;
  /** Verifier tokens' own budgets (lib/tokens), apart from the anonymous per-address ones. */
  verifiers: RateLimiter;
}

const KEY = Symbol.for("keyward.key-check-limits");

function limits(): Limits {
  const holder = globalThis as { [KEY]?: Limits };
  return (holder[KEY] ??= {
    checks: new RateLimiter({ limit: env.VERIFY_RATE_LIMIT }),
    misses: new RateLimiter({ limit: env.VERIFY_MISS_LIMIT }),
    verifiers: new RateLimiter({ limit: env.VERIFY_TOKEN_RATE_LIMIT }),
  });
}

/** Counts one key check by this client: null to go on, or the seconds to wait. */
export function admitKeyCheck(client: string | null): number | null {
  const key = rateLimitKey(client);
  const now = Date.now();
  const { checks, misses } = limits();
  if (misses.exhausted(key, now)) {
    countRateLimited("verify_misses");
    return misses.retryAfter(now);
  }
  const wait = checks.admit(key, now);
  if (wait !== null) countRateLimited("verify_client");
  return wait;
}

/** Charges a NOT_FOUND answer to the client's miss budget. */
export function chargeMiss(client: string | null): void {
  limits().misses.charge(rateLimitKey(client));
}

/** Counts one verification by a verifier token against its own budget: null to go on, or the seconds to wait. */
export function admitVerifierCheck(tokenId: string): number | null {
  const wait = limits().verifiers.admit(`token:${tokenId}`, Date.now());
  if (wait !== null) countRateLimited("verify_token");
  return wait;
}
