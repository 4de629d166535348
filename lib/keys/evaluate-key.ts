// The verdict on a key record at an instant: pure, so the cache and the database path share
// it, and so it is tested without either. Order matters: an admin's or owner's blacklisting
// (revoked, leaked, rotated) wins; then expiry, decided by the clock and not by the sweep
// (rule 1); then a rotation's grace end; then scope.
import type { BlacklistReason } from "@/lib/db/generated/enums";
import { renewUrlFor } from "@/lib/links";

/** Who owns a key, as the verify answer names it: a person (name, else address) or a team. */
export interface KeyRecordOwner {
  type: "user" | "team";
  id: string;
  name: string;
}

export interface KeyRecord {
  id: string;
  owner: KeyRecordOwner;
  name: string;
  scopes: string[];
  expiresAt: Date | null;
  graceEndsAt: Date | null;
  blacklist: { reason: BlacklistReason; at: Date } | null;
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
  | { valid: false; code: "INSUFFICIENT_SCOPE"; keyId: string; requiredScope: string; scopes: string[]; message: string }
  | { valid: false; code: "NOT_FOUND"; message: string }
  | { valid: false; code: "MALFORMED"; message: string };

export type VerifyCode = VerifyResult["code"];


const REVOKED_MESSAGES: Record<Exclude<BlacklistReason, "EXPIRED">, string> = {
  REVOKED: "This key was revoked.",
  LEAKED: "This key was blacklisted because it leaked. Issue a new one.",
  ROTATED: "This key was replaced by a newer key and its grace period has ended.",
};

export function evaluateKey(record: KeyRecord, now: Date, scope: string | undefined, appUrl: string): VerifyResult {
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
