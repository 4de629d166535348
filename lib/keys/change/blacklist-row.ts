import "server-only";
import type { Actor } from "@/lib/audit/record-audit";
import type { BlacklistReason, Tx } from "@/lib/db/client";
import { KeywardError } from "@/lib/errors";
import { announceKeyChange } from "../check/key-store";

/**
 * Writes (or, for an admin's stronger verdict, overwrites) the key's one BlacklistedKey row and
 * announces the change to other instances' caches. Returns the previous reason, if any. Runs
 * inside the caller's transaction; the caller calls forgetKey() after it commits.
 */
export async function writeBlacklistRow(
  tx: Tx,
  keyId: string,
  reason: BlacklistReason,
  actor: Actor,
  note: string | null,
  { overwrite }: { overwrite: boolean },
): Promise<BlacklistReason | null> {
  // Locks the row if it exists, so two admins cannot both "first" blacklist a key.
  const existing = await tx.$queryRaw<{ reason: BlacklistReason }[]>`
    SELECT reason FROM "BlacklistedKey" WHERE "keyId" = ${keyId} FOR UPDATE`;
  const previous = existing[0]?.reason ?? null;
  if (previous === reason || (previous && !overwrite)) {
    throw new KeywardError("CONFLICT", `This key is already blacklisted (${previous}).`);
  }
  const row = { reason, blacklistedAt: new Date(), actorId: actor.id, actorLabel: actor.label, note };
  await tx.blacklistedKey.upsert({ where: { keyId }, create: { keyId, ...row }, update: row });
  await announceKeyChange(tx, keyId);
  return previous;
}
