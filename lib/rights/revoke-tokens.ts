import "server-only";
import type { Actor } from "@/lib/audit/record-audit";
import { Prisma, type Tx } from "@/lib/db/client";
import { KEY_CHANGED_CHANNEL } from "@/lib/db/owner-change";
import { insertEventsSql } from "@/lib/events/event-sql";

/**
 * Revokes (REVOKED, with `note`) a team's API tokens that still work, all of them or those one
 * person issued, in the caller's transaction: one statement with their token.revoked events and
 * the announcement that drops them from every instance's cache. Returns how many it revoked; the
 * caller calls eventsRecorded() once it commits.
 */
export async function revokeTeamTokens(
  tx: Tx,
  teamId: string,
  issuedById: string | null,
  actor: Actor,
  note: string,
): Promise<number> {
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
  const [row] = await tx.$queryRaw<{ revoked: bigint }[]>`
    WITH revoked AS (
      INSERT INTO "BlacklistedKey" ("keyId", reason, "blacklistedAt", "actorId", "actorLabel", note)
      SELECT k.id, 'REVOKED', now(), ${actor.id}, ${actor.label}, ${note} FROM "ApiKey" k
      WHERE k.kind = 'TOKEN' AND k."teamId" = ${teamId} AND (${issuedById}::text IS NULL OR k."issuedById" = ${issuedById})
        AND NOT EXISTS (SELECT 1 FROM "BlacklistedKey" b WHERE b."keyId" = k.id)
      ON CONFLICT ("keyId") DO NOTHING
      RETURNING "keyId"
    ), events AS (${events}), announced AS (SELECT pg_notify(${KEY_CHANGED_CHANNEL}, "keyId") FROM revoked)
    SELECT (SELECT count(*) FROM revoked) AS revoked, (SELECT count(*) FROM events) AS e, (SELECT count(*) FROM announced) AS a`;
  return Number(row?.revoked ?? 0);
}
