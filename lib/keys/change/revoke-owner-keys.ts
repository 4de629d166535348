import "server-only";
import type { Actor } from "@/lib/audit/record-audit";
import { Prisma, type Tx } from "@/lib/db/client";
import { insertEventsSql } from "@/lib/events/event-sql";
import { KEY_CHANGED_CHANNEL } from "../check/key-change-listener";
import { forgetKey } from "../check/key-store";

/**
 * Blacklists (REVOKED) every key of one owner that is not blacklisted yet, in the caller's
 * transaction, in one statement with their key.revoked events, announcing each to the other
 * instances' caches. Returns the ids; call forgetKeys() and eventsRecorded() once it commits.
 */
export async function revokeOwnerKeys(tx: Tx, ownerId: string, actor: Actor, note: string): Promise<string[]> {
  const events = insertEventsSql(
    {
      type: "key.revoked",
      dedupeKey: Prisma.sql`'revoked:' || k.id`,
      actorId: actor.id,
      actorLabel: actor.label,
      occurredAt: new Date(),
      extra: Prisma.sql`jsonb_build_object('reason', 'REVOKED', 'note', ${note}::text)`,
    },
    Prisma.sql`FROM revoked r JOIN "ApiKey" k ON k.id = r."keyId"`,
  );
  const rows = await tx.$queryRaw<{ keyId: string }[]>`
    WITH revoked AS (
      INSERT INTO "BlacklistedKey" ("keyId", reason, "blacklistedAt", "actorId", "actorLabel", note)
      SELECT k.id, 'REVOKED', now(), ${actor.id}, ${actor.label}, ${note} FROM "ApiKey" k
      WHERE k."userId" = ${ownerId} AND NOT EXISTS (SELECT 1 FROM "BlacklistedKey" b WHERE b."keyId" = k.id)
      ON CONFLICT ("keyId") DO NOTHING
      RETURNING "keyId"
    ), events AS (${events}), announced AS (SELECT pg_notify(${KEY_CHANGED_CHANNEL}, "keyId") FROM revoked)
    SELECT "keyId" FROM revoked, (SELECT count(*) FROM announced) a, (SELECT count(*) FROM events) e`;
  return rows.map((r) => r.keyId);
}

export function forgetKeys(ids: string[]): void {
  for (const id of ids) forgetKey(id);
}
