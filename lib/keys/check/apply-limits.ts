import "server-only";
import { rateCounter } from "@/lib/limits/rate-counter";
import { countRateLimited } from "@/lib/metrics/registry";
import type { KeyRecord, VerifyResult } from "./evaluate-key";

// The limits that need counters, applied to a verdict that is otherwise VALID: the usage cap,
// then the rate limit. A refusal for one reason never uses up another limit: a refused
// verification is not a use, and a key over its cap is not charged to its rate.

type Valid = Extract<VerifyResult, { valid: true }>;

/**
 * Successful uses of each cached key record, counted from the record's figure (the database's
 * plus the uses not yet written, when it was read). Keyed by the record object: a record reloaded
 * from the database starts again from its new figure, and the entries go away with the records
 * (bounded by the key cache). On globalThis, like the cache: the gate (proxy.ts) and the verify
 * route are built as separate bundles with module state of their own, yet share the cached
 * records, so they must share these counts too (else each starts from the record's figure).
 */
const globalForCaps = globalThis as unknown as { keywardCapUses?: WeakMap<KeyRecord, { used: number }> };
const capUses = (globalForCaps.keywardCapUses ??= new WeakMap());

/**
 * Exact within one instance; across instances, each sees the others' uses once they are flushed
 * (USAGE_FLUSH_INTERVAL_MS) and its record is reloaded (KEY_CACHE_TTL_MS).
 */
export async function applyLimits(record: KeyRecord, verdict: Valid, now: number): Promise<VerifyResult> {
  const { usageCap, rate } = record.limits;
  let reserved: { used: number } | null = null;
  if (usageCap !== null) {
    let uses = capUses.get(record);
    if (!uses) {
      uses = { used: record.limits.usageCount };
      capUses.set(record, uses);
    }
    if (uses.used >= usageCap) {
      const message = `This key has reached its cap of ${usageCap} successful verifications.`;
      return { valid: false, code: "USAGE_EXCEEDED", keyId: record.id, usageCap, message };
    }
    // Taken before the rate limit is asked (which may wait on Redis), so that concurrent
    // verifications cannot both take the last use.
    uses.used += 1;
    reserved = uses;
  }
  if (!rate) return verdict;
  // The in-process counter answers at once: no promise (and no extra turn of the event loop) for it.
  const taking = rateCounter().take(record.id, rate.max, rate.windowSeconds, now);
  const take = taking instanceof Promise ? await taking : taking;
  const resetAt = take.resetAtIso;
  if (!take.allowed) {
    if (reserved) reserved.used -= 1;
    countRateLimited("key");
    const retryAfterSeconds = Math.max(1, Math.ceil((take.resetAt - now) / 1000));
    const message = `This key's rate limit of ${rate.max} per ${windowLabel(rate.windowSeconds)} is used up. Try again in ${retryAfterSeconds} s.`;
    return {
      valid: false,
      code: "RATE_LIMITED",
      keyId: record.id,
      retryAfterSeconds,
      limit: rate.max,
      remaining: 0,
      resetAt,
      message,
    };
  }
  return { ...verdict, ratelimit: { limit: rate.max, remaining: take.remaining, resetAt } };
}

function windowLabel(seconds: number): string {
  return seconds === 1
    ? "second"
    : seconds === 60
      ? "minute"
      : seconds === 3600
        ? "hour"
        : seconds === 86_400
          ? "day"
          : `${seconds} s`;
}
