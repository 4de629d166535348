// The verdict on a key record at an instant: pure, so the cache and the database path share
// it, and so it is tested without either. Order matters: an admin's or owner's blacklisting
// (revoked, leaked, rotated, idle) wins; then expiry, decided by the clock and not by the sweep
// (rule 1); then a rotation's grace end; then the client's address (before scope: a caller from
// outside the allowlist learns nothing about the key); then scope. The usage cap and the rate
// limit need counters, so verifyKey applies them after this verdict (lib/limits).
import type { BlacklistReason } from "@/lib/db/generated/enums";
import { renewUrlFor } from "@/lib/links";
import type { AddressMatcher } from "@/lib/net/cidr";

/** Who owns a key, as the verify answer names it: a person (name, else address) or a team. */
export interface KeyRecordOwner {
  type: "user" | "team";
  id: string;
  name: string;
}

export interface KeyRecord {
  id: string;
  /** A key, or an API token to Keyward itself (lib/tokens): a token never verifies as a key. */
  kind: "KEY" | "TOKEN";
  /** Who issued it (a team API token acts only while its issuer may still make it). */
  issuedById: string | null;
  owner: KeyRecordOwner;
  name: string;
  scopes: string[];
  expiresAt: Date | null;
  graceEndsAt: Date | null;
  blacklist: { reason: BlacklistReason; at: Date } | null;
  limits: KeyRecordLimits;
}

/** What the owner bounded (lib/limits); null where they did not. */
export interface KeyRecordLimits {
  rate: { max: number; windowSeconds: number } | null;
  /** The allowlist, compiled; null: any address. */
  allowIp: AddressMatcher | null;
  usageCap: number | null;
  /**
   * Successful verifications when the record was read: those in the database, plus those this
   * process had counted and not yet written (the usage buffer).
   */
  usageCount: number;
}

/** Where a rate-limited key stands in its current window. */
export interface RateLimitState {
  limit: number;
  remaining: number;
  /** When the current window ends and the count starts again. */
  resetAt: string;
}

export type VerifyResult =
  | {
      valid: true;
      code: "VALID";
      keyId: string;
      name: string;
      /** The owning user's or team's id (see `owner`). */
      ownerId: string;
      owner: KeyRecordOwner;
      scopes: string[];
      expiresAt: string | null;
      expiresInSeconds: number | null;
      /** Set while a rotated key is in its grace period: it stops working then. */
      graceEndsAt?: string;
      /** Set when the key has a rate limit: this verification is counted in `remaining`. */
      ratelimit?: RateLimitState;
    }
  | { valid: false; code: "EXPIRED"; keyId: string; expiredAt: string; renewUrl: string; message: string }
  | {
      valid: false;
      code: "REVOKED";
      keyId: string;
      reason: Exclude<BlacklistReason, "EXPIRED">;
      revokedAt: string;
      renewUrl: string;
      message: string;
    }
  | {
      valid: false;
      code: "INSUFFICIENT_SCOPE";
      keyId: string;
      requiredScope: string;
      scopes: string[];
      message: string;
    }
  | { valid: false; code: "IP_REQUIRED"; keyId: string; message: string }
  | { valid: false; code: "IP_NOT_ALLOWED"; keyId: string; ip: string; message: string }
  | { valid: false; code: "USAGE_EXCEEDED"; keyId: string; usageCap: number; message: string }
  | {
      valid: false;
      code: "RATE_LIMITED";
      keyId: string;
      retryAfterSeconds: number;
      limit: number;
      remaining: 0;
      resetAt: string;
      message: string;
    }
  | { valid: false; code: "NOT_FOUND"; message: string }
  | { valid: false; code: "MALFORMED"; message: string };

export type VerifyCode = VerifyResult["code"];

const REVOKED_MESSAGES: Record<Exclude<BlacklistReason, "EXPIRED">, string> = {
  REVOKED: "This key was revoked.",
  LEAKED: "This key was blacklisted because it leaked. Issue a new one.",
  ROTATED: "This key was replaced by a newer key and its grace period has ended.",
  IDLE: "This key was disabled because it had not been used for too long. Issue a new one.",
};

/**
 * `clientIp`: the address the key is used from, when known (the verify body's `ip`, the gate's
 * client); a key with an allowlist needs one.
 */
export function evaluateKey(
  record: KeyRecord,
  now: Date,
  scope: string | undefined,
  appUrl: string,
  clientIp?: string | null,
): VerifyResult {
  const t = now.getTime();
  const keyId = record.id;
  const renewUrl = renewUrlFor(appUrl, keyId);

  if (record.blacklist && record.blacklist.reason !== "EXPIRED") {
    const reason = record.blacklist.reason;
    const revokedAt = record.blacklist.at.toISOString();
    return { valid: false, code: "REVOKED", keyId, reason, revokedAt, renewUrl, message: REVOKED_MESSAGES[reason] };
  }
  const expired = record.blacklist !== null || (record.expiresAt !== null && record.expiresAt.getTime() <= t);
  if (expired) {
    const expiredAt = (record.expiresAt ?? record.blacklist!.at).toISOString();
    const message = `This key expired at ${expiredAt}. Renew it at ${renewUrl}`;
    return { valid: false, code: "EXPIRED", keyId, expiredAt, renewUrl, message };
  }
  if (record.graceEndsAt && record.graceEndsAt.getTime() <= t) {
    const revokedAt = record.graceEndsAt.toISOString();
    const message = REVOKED_MESSAGES.ROTATED;
    return { valid: false, code: "REVOKED", keyId, reason: "ROTATED", revokedAt, renewUrl, message };
  }
  const { allowIp } = record.limits;
  if (allowIp) {
    if (!clientIp) {
      const message = 'This key may only be used from certain addresses: send the client\'s address as "ip".';
      return { valid: false, code: "IP_REQUIRED", keyId, message };
    }
    if (!allowIp(clientIp)) {
      const message = `This key may not be used from ${clientIp}.`;
      return { valid: false, code: "IP_NOT_ALLOWED", keyId, ip: clientIp, message };
    }
  }
  if (scope !== undefined && !record.scopes.includes(scope)) {
    const message = `This key lacks the scope "${scope}".`;
    return { valid: false, code: "INSUFFICIENT_SCOPE", keyId, requiredScope: scope, scopes: record.scopes, message };
  }
  return {
    valid: true,
    code: "VALID",
    keyId,
    name: record.name,
    ownerId: record.owner.id,
    owner: record.owner,
    scopes: record.scopes,
    expiresAt: record.expiresAt?.toISOString() ?? null,
    expiresInSeconds: record.expiresAt ? Math.floor((record.expiresAt.getTime() - t) / 1000) : null,
    ...(record.graceEndsAt ? { graceEndsAt: record.graceEndsAt.toISOString() } : {}),
  };
}
