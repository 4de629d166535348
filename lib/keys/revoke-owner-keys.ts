import "server-only";
import type { Actor } from "@/lib/audit/record-audit";
import type { Tx } from "@/lib/db/client";
import { KEY_CHANGED_CHANNEL } from "./key-change-listener";
import { forgetKey } from "./key-store";

/**
 * Blacklists (REVOKED) every key of one owner that is not blacklisted yet, in the caller's
 * transaction, in one statement, announcing each to the other instances' caches. Returns the
 * ids; call forgetKeys() with them once the transaction has committed.
 */
export async function revokeOwnerKeys(tx: Tx, ownerId: string, actor: Actor, note: string): Promise<string[]> {
  const rows = await tx.$queryRaw<{ keyId: string }[]>`
    WITH revoked AS (
      INSERT INTO "BlacklistedKey" ("keyId", reason, "blacklistedAt", "actorId", "actorLabel", note)
      SELECT k.id, 'REVOKED', now(), ${actor.id}, ${actor.label}, ${note} FROM "ApiKey" k
      WHERE k."userId" = ${ownerId} AND NOT EXISTS (SELECT 1 FROM "BlacklistedKey" b WHERE b."keyId" = k.id)
      ON CONFLICT ("keyId") DO NOTHING
      RETURNING "keyId"
    ), announced AS (SELECT pg_notify(${KEY_CHANGED_CHANNEL}, "keyId") FROM revoked)
    SELECT "keyId" FROM revoked, (SELECT count(*) FROM announced) a`;
  return rows.map((r) => r.keyId);
}

export function forgetKeys(ids: string[]): void {
  for (const id of ids) forgetKey(id);
}
