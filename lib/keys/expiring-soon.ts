import "server-only";
import { Prisma } from "@/lib/db/client";
import { env } from "@/lib/env";
import type { KeyStatusInput } from "./key-status";

// "Expiring soon", defined once: a working key whose end — the earlier of its expiresAt and, for a
// rotated key in grace, its graceEndsAt: the instant it stops working — falls within the first
// (largest) reminder window of EXPIRY_REMINDER_DAYS. A key in grace counts by its grace end, not
// by an expiry it will never reach; a rotated key still counts while it works (services still
// using it break when it stops). The renewal banner, the Expiring soon tab and its count, the
// chart, the API (`expiringSoon`, `worksUntil`) and the sweep's reminders (sweep-steps.ts
// remindBatch, which walks the same ends along the two columns' indexes) all use this.

const DAY = 86_400_000;

/** The window, in days: the first (largest) of EXPIRY_REMINDER_DAYS. */
export function expiringWindowDays(): number {
  return env.EXPIRY_REMINDER_DAYS[0] ?? 7;
}

/** When the key stops working unless renewed: the earlier of expiresAt and graceEndsAt; null: never. */
export function effectiveEnd(key: Pick<KeyStatusInput, "expiresAt" | "graceEndsAt">): Date | null {
  if (key.expiresAt && key.graceEndsAt) return key.expiresAt <= key.graceEndsAt ? key.expiresAt : key.graceEndsAt;
  return key.expiresAt ?? key.graceEndsAt;
}

/** Not blacklisted, not expired, grace (if any) not over: verification would let it through. */
export function isWorking(key: KeyStatusInput, now: Date): boolean {
  const end = effectiveEnd(key);
  return !key.blacklisted && (end === null || end.getTime() > now.getTime());
}

/** Working, and its end within `windowDays` of `now`. */
export function isExpiringSoon(key: KeyStatusInput, now: Date, windowDays = expiringWindowDays()): boolean {
  const end = effectiveEnd(key);
  return isWorking(key, now) && end !== null && end.getTime() - now.getTime() <= windowDays * DAY;
}

/** isWorking as a condition on ApiKey. */
export function workingWhere(now: Date): Prisma.ApiKeyWhereInput {
  return {
    blacklisted: { is: null },
    AND: [
      { OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
      { OR: [{ graceEndsAt: null }, { graceEndsAt: { gt: now } }] },
    ],
  };
}

/**
 * isExpiringSoon as a condition on ApiKey: working, and either instant within the window (the
 * earlier one is then too). Each arm is a closed range on its own index: an open "≤ window end"
 * would read every expired key the sweep has not purged yet.
 */
export function expiringSoonWhere(now: Date, windowDays = expiringWindowDays()): Prisma.ApiKeyWhereInput {
  const windowEnd = new Date(now.getTime() + windowDays * DAY);
  const within = { gt: now, lte: windowEnd };
  return { AND: [workingWhere(now), { OR: [{ expiresAt: within }, { graceEndsAt: within }] }] };
}

/** effectiveEnd of the key aliased `k`, in SQL (LEAST skips nulls: null only when both are). */
export const effectiveEndSql = Prisma.sql`LEAST(k."expiresAt", k."graceEndsAt")`;
