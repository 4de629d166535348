import "server-only";
import type { KeyRecord, VerifyResult } from "@/lib/keys/evaluate-key";
import { rateCounter } from "./rate-counter";

// The limits that need counters, applied to a verdict that is otherwise VALID: the usage cap,
// then the rate limit. A refusal for one reason never uses up another limit: a refused
// verification is not a use, and a key over its cap is not charged to its rate.

type Valid = Extract<VerifyResult, { valid: true }>;

/**
 * Successful uses of each cached key record, counted from the database's figure when this
 * process first saw the record plus the uses not yet written then (the usage buffer). Keyed by
 * the record object: a record reloaded from the database starts again from the new figure, and
 * the entries go away with the records (bounded by the key cache).
 */
const capUses = new WeakMap<KeyRecord, { used: number }>();

/**
 * `unwritten`: the key's successful uses counted in this process and not yet in the database.
 * Exact within one instance; across instances, each sees the others' uses once they are flushed
 * (USAGE_FLUSH_INTERVAL_MS) and its record is reloaded (KEY_CACHE_TTL_MS).
 */
export async function applyLimits(record: KeyRecord, verdict: Valid, now: number, unwritten: (keyId: string) => number): Promise<VerifyResult> {
  const { usageCap, rate } = record.limits;
  let reserved: { used: number } | null = null;
  if (usageCap !== null) {
    let uses = capUses.get(record);
    if (!uses) {
      uses = { used: record.limits.usageCount + unwritten(record.id) };
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
  const take = await rateCounter().take(record.id, rate.max, rate.windowSeconds, now);
  const resetAt = new Date(take.resetAt).toISOString();
  if (!take.allowed) {
    if (reserved) reserved.used -= 1;
    const retryAfterSeconds = Math.max(1, Math.ceil((take.resetAt - now) / 1000));
    const message = `This key's rate limit of ${rate.max} per ${windowLabel(rate.windowSeconds)} is used up. Try again in ${retryAfterSeconds} s.`;
    return { valid: false, code: "RATE_LIMITED", keyId: record.id, retryAfterSeconds, limit: rate.max, remaining: 0, resetAt, message };
  }
  return { ...verdict, ratelimit: { limit: rate.max, remaining: take.remaining, resetAt } };
}

function windowLabel(seconds: number): string {
  return seconds === 1 ? "second" : seconds === 60 ? "minute" : seconds === 3600 ? "hour" : seconds === 86_400 ? "day" : `${seconds} s`;
}
