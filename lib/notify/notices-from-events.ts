import "server-only";
import { Prisma, prisma } from "@/lib/db/client";

// Notices are made from key events (lib/events): a reminder when a key enters a window, an idle
// reminder when an unused key enters one (it will be disabled unless used),
// "expired" (unless a newer key replaced it: no news then), "grace ended", and "blacklisted" when
// someone else revoked it or it was reported as leaked. Each notice exists once per recipient
// (its dedupeKey). The recipient's email preference, and whether their address is verified,
// decide whether the notice is also mailed. The same SQL serves the sweep, which writes events and their
// notices in one statement, and the dispatcher, which catches up on events recorded elsewhere.

/**
 * `INSERT INTO "Notification" … SELECT … FROM <events> e` (events: KeyEvent rows, e.g. a CTE).
 * A personal key's notices go to its owner; a team key's to the team's owners and admins and to
 * the member who issued it (while still a member). An API token's events make the same notices. Each recipient's preferences and verified
 * address decide the email; a revocation is not news to the person who did it.
 */
export function noticesFromEventsSql(events: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO "Notification" (id, "userId", kind, "windowDays", "keyId", "keyName", "keyMasked", "keyKind", "keyExpiresAt", "keyIdleSince", "keyOwner", reason, note, "dedupeKey", "createdAt", "emailStatus")
    SELECT gen_random_uuid()::text, u.id, n.kind::"NoticeKind", n.window_days, e."keyId", e.data->'key'->>'name',
           (e.data->'key'->>'prefix') || '…' || (e.data->'key'->>'last4'),
           (CASE WHEN e.type::text LIKE 'token.%' THEN 'TOKEN' ELSE 'KEY' END)::"KeyKind",
           n.expires_at, n.idle_since, t.name, n.reason, e.data->>'note',
           n.dedupe_key || ':' || u.id, e."occurredAt",
           (CASE WHEN n.wants_email AND u."emailVerifiedAt" IS NOT NULL THEN 'PENDING' ELSE 'SKIPPED' END)::"NoticeEmail"
    FROM (
      SELECT e.*, e."userId" AS recipient FROM ${events} e WHERE e."userId" IS NOT NULL
      UNION ALL
      SELECT e.*, m."userId" AS recipient FROM ${events} e
      JOIN "TeamMember" m ON m."teamId" = e."teamId"
      LEFT JOIN "ApiKey" k ON k.id = e."keyId"
      WHERE m.role IN ('OWNER', 'ADMIN') OR m."userId" = k."issuedById"
    ) e
    -- People only: a team's service account (its API tokens' member) is told nothing.
    JOIN "User" u ON u.id = e.recipient AND u."deletedAt" IS NULL AND u.kind = 'PERSON'
    LEFT JOIN "Team" t ON t.id = e."teamId"
    -- A token's events read as its key.* names here: the notices are the same.
    CROSS JOIN LATERAL (SELECT replace(e.type::text, 'token.', 'key.') AS type) et
    CROSS JOIN LATERAL (
      SELECT
        CASE et.type
          WHEN 'key.expiring' THEN 'REMINDER'
          WHEN 'key.idle' THEN 'IDLE'
          WHEN 'key.expired' THEN 'EXPIRED'
          WHEN 'key.grace_ended' THEN 'GRACE_ENDED'
          ELSE 'BLACKLISTED' END AS kind,
        CASE WHEN et.type IN ('key.expiring', 'key.idle') THEN (e.data->>'windowDays')::int END AS window_days,
        CASE WHEN et.type IN ('key.revoked', 'key.leaked') THEN e.data->>'reason'
             -- A reminder about a rotated key: it stops working then, replaced (notice-text.ts).
             WHEN et.type = 'key.expiring' AND e.data->>'replacedBy' IS NOT NULL THEN 'ROTATED' END AS reason,
        CASE et.type
          WHEN 'key.grace_ended' THEN (e.data->>'graceEndsAt')::timestamptz
          -- A reminder's date is when the key stops working: its grace end when that comes first.
          WHEN 'key.expiring' THEN LEAST((e.data->'key'->>'expiresAt')::timestamptz, (e.data->>'graceEndsAt')::timestamptz)
          -- An idle reminder's date is when the key will be disabled.
          WHEN 'key.idle' THEN (e.data->>'disablesAt')::timestamptz
          ELSE (e.data->'key'->>'expiresAt')::timestamptz END AS expires_at,
        (e.data->>'idleSince')::timestamptz AS idle_since,
        CASE et.type
          WHEN 'key.expiring' THEN 'reminder:' || e."keyId" || ':' || (e.data->>'windowDays')
          -- One per window and idle spell, like the event: 'idle:<key>:<days>:<epoch ms of the spell's start>'.
          WHEN 'key.idle' THEN e."dedupeKey"
          WHEN 'key.expired' THEN 'expired:' || e."keyId"
          WHEN 'key.grace_ended' THEN 'grace:' || e."keyId"
          ELSE 'blacklisted:' || e."keyId" || ':' || (e.data->>'reason') END AS dedupe_key,
        CASE et.type
          WHEN 'key.expiring' THEN u."emailReminders"
          WHEN 'key.idle' THEN u."emailReminders"
          WHEN 'key.expired' THEN u."emailExpired"
          WHEN 'key.grace_ended' THEN u."emailExpired"
          ELSE u."emailBlacklisted" END AS wants_email
    ) n
    WHERE et.type IN ('key.expiring', 'key.idle', 'key.grace_ended')
       OR (et.type = 'key.expired' AND e.data->>'replacedBy' IS NULL)
       OR (et.type IN ('key.revoked', 'key.leaked') AND e."actorId" IS DISTINCT FROM u.id)
    ON CONFLICT ("dedupeKey") DO NOTHING
    RETURNING 1`;
}

/**
 * Makes the notices of events recorded without them (by requests, on any instance), oldest
 * first, one batch; returns how many events it took. Safe alongside other dispatchers (SKIP
 * LOCKED) and idempotent (dedupeKey).
 */
export async function projectPendingNotices(batchSize = 500): Promise<number> {
  const [row] = await prisma.$queryRaw<{ taken: bigint }[]>`
    WITH events AS (
      SELECT * FROM "KeyEvent" WHERE "noticedAt" IS NULL ORDER BY "occurredAt", id LIMIT ${batchSize} FOR UPDATE SKIP LOCKED
    ), noticed AS (${noticesFromEventsSql(Prisma.sql`events`)}), marked AS (
      UPDATE "KeyEvent" SET "noticedAt" = now() WHERE id IN (SELECT id FROM events) RETURNING 1
    )
    SELECT (SELECT count(*) FROM marked) AS taken, (SELECT count(*) FROM noticed) AS noticed`;
  return Number(row?.taken ?? 0);
}
