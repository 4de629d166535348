// What state a key is in, derived from its row at a given instant. The same rules as
// verification (lib/keys/check/evaluate-key.ts): expiry is decided by the clock, not by the sweep.
import type { BlacklistReason } from "@/lib/db/generated/enums";

export type KeyStatus = "ACTIVE" | "EXPIRING" | "GRACE" | "EXPIRED" | "BLACKLISTED";

export interface KeyStatusInput {
  expiresAt: Date | null;
  graceEndsAt: Date | null;
  blacklisted: { reason: BlacklistReason } | null;
}

/**
 * EXPIRING = working, not in grace, and ending within `expiringWithinDays` (the first reminder
 * window: see expiring-soon.ts). A key in grace is GRACE whether or not its grace ends inside the
 * window; KeyView.expiringSoon answers that for every state alike.
 */
export function keyStatus(key: KeyStatusInput, now: Date, expiringWithinDays: number): KeyStatus {
  if (key.blacklisted) return key.blacklisted.reason === "EXPIRED" ? "EXPIRED" : "BLACKLISTED";
  const t = now.getTime();
  if (key.expiresAt && key.expiresAt.getTime() <= t) return "EXPIRED";
  if (key.graceEndsAt && key.graceEndsAt.getTime() <= t) return "BLACKLISTED";
  if (key.graceEndsAt) return "GRACE";
  if (key.expiresAt && key.expiresAt.getTime() - t <= expiringWithinDays * 86_400_000) return "EXPIRING";
  return "ACTIVE";
}
