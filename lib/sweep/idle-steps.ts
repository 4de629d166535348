import "server-only";
import { Prisma, prisma } from "@/lib/db/client";
import { insertEventsSql, isoJsonSql } from "@/lib/events/event-sql";
import { KEY_CHANGED_CHANNEL } from "@/lib/keys/check/key-change-listener";
import { noticesFromEventsSql } from "@/lib/notify/notices-from-events";
import { START, toResult, type BatchResult, type BatchRow, type Cursor } from "@/lib/db/batch";
import { LOCK, windowLock } from "./sweep-steps";

// Idle keys (KEY_IDLE_DAYS): a key nobody has verified successfully for that many days (a
// never-used key counts from its creation) is blacklisted IDLE, after its owner was reminded
// through the reminder windows. Set-based and batched like sweep-steps.ts, under an advisory lock
// per step and reminder window (sweep-steps.ts, LOCK), with ON CONFLICT against unique keys.
//
// Finding them without an index on lastUsedAt. The usage flush writes lastUsedAt for every key
// used in the interval; an index on it (or on an expression over it) would make each of those
// updates a non-HOT one, inserting into every index on ApiKey. So the walk uses another column,
// `idleSeenAt`, that only this sweep writes: the anchor COALESCE(idleSeenAt, createdAt) is never
// later than a watched key's last activity COALESCE(lastUsedAt, createdAt), because lastUsedAt
// only grows. A key whose anchor is recent enough is certainly not idle; one whose anchor is old
// is looked at, and if it was used since, its anchor moves up to that use (a write once per
// KEY_IDLE_DAYS or so per key, not per verification). Keys the sweep no longer watches
// (blacklisted, expired, replaced) get the sweep's `now` as anchor, so later runs do not walk them
// again. Each walk is an index range scan on (anchor, id) with a keyset cursor.
//
// An idle spell starts at the key's last activity; its reminders are key.idle events with the
// dedupeKey 'idle:<keyId>:<windowDays>:<epoch ms of the spell's start>' (unique), so a key that is
// used again, and goes idle again later, is reminded again. A key is disabled only once its spell
// has a reminder whose `disablesAt` has passed: an owner is always told first, even when
// KEY_IDLE_DAYS is turned on for keys already unused for longer (they get the smallest window's
// notice: disabled that many days later).

const ANCHOR = Prisma.sql`COALESCE(k."idleSeenAt", k."createdAt")`;
const ACTIVITY = Prisma.sql`COALESCE(k."lastUsedAt", k."createdAt")`;
const DAY_MS = 86_400_000;

/** A key the idle rule applies to: not blacklisted, not expired, not replaced by rotation. */
const watchedSql = (now: Date) => Prisma.sql`(NOT EXISTS (SELECT 1 FROM "BlacklistedKey" b WHERE b."keyId" = k.id)
    AND (k."expiresAt" IS NULL OR k."expiresAt" > ${now}) AND k."replacedById" IS NULL)`;

/** The reminder dedupeKeys of the idle spell starting at `activity`, one per window in `windows`. */
const spellKeysSql = (activity: Prisma.Sql, windows: number[]) =>
  Prisma.sql`ARRAY(SELECT 'idle:' || k.id || ':' || d || ':' || ((extract(epoch FROM ${activity}) * 1000)::bigint)::text
                   FROM unnest(${windows}::int[]) d)`;

/** The days as an interval, in exact seconds (not calendar days: no daylight-saving hour). */
const daysSql = (days: number) => Prisma.sql`(${days * 86_400}::float8 * interval '1 second')`;

/** The note on an IDLE blacklisting, and in its BLACKLISTED notice. */
export const idleNote = (idleDays: number) => `Not used for ${idleDays} day${idleDays === 1 ? "" : "s"}`;

export interface IdleBatchResult extends BatchResult {
  /** Keys blacklisted by this batch (verify caches in this process drop them). */
  ids: string[];
}

type IdleRow = BatchRow & { ids?: string[] | null };

const toIdleResult = (rows: IdleRow[]): IdleBatchResult => ({ ...toResult(rows), ids: rows[0]?.ids ?? [] });

/**
 * The head of both idle walks: `step` (the walk's advisory lock) and `due`, one batch of keys
 * whose anchor is at or before `upTo`, after the cursor, in (anchor, id) order.
 */
function dueByAnchorSql(lock: number, upTo: Date, batchSize: number, after: Cursor): Prisma.Sql {
  return Prisma.sql`step AS (SELECT pg_try_advisory_xact_lock(${lock}::bigint) AS mine), due AS (
      SELECT k.id, ${ANCHOR} AS at FROM "ApiKey" k, step
      WHERE step.mine AND ${ANCHOR} <= ${upTo}
        AND (${ANCHOR}, k.id) > (${after.at}::timestamptz, ${after.id}::text)
      ORDER BY ${ANCHOR}, k.id
      LIMIT ${batchSize}
    )`;
}

export interface IdleSettings {
  now: Date;
  /** KEY_IDLE_DAYS (> 0). */
  idleDays: number;
  /** EXPIRY_REMINDER_DAYS, ascending; empty: keys are disabled without a reminder. */
  reminderDays: number[];
}

/**
 * Blacklists (IDLE) one batch of keys unused for `idleDays` whose owners were reminded, with the
 * key.revoked event (reason IDLE), the owners' BLACKLISTED notices and a NOTIFY to every
 * instance's verify cache, in one statement. Keys the batch finds used since their anchor, or no
 * longer watched, get their anchor moved (see above).
 */
export async function idleBatch(
  settings: IdleSettings,
  batchSize: number,
  after: Cursor = START,
): Promise<IdleBatchResult> {
  return toIdleResult(await prisma.$queryRaw<IdleRow[]>(idleBatchSql(settings, batchSize, after)));
}

/** The statement of one idleBatch (exported for the test of its plan). */
export function idleBatchSql(settings: IdleSettings, batchSize: number, after: Cursor): Prisma.Sql {
  const { now, idleDays, reminderDays } = settings;
  const cutoff = new Date(now.getTime() - idleDays * DAY_MS);
  // Told first: the latest `disablesAt` among this spell's reminders has passed.
  const told =
    reminderDays.length === 0
      ? Prisma.sql`true`
      : Prisma.sql`COALESCE((SELECT max((e.data->>'disablesAt')::timestamptz) FROM "KeyEvent" e
                             WHERE e."dedupeKey" = ANY(${spellKeysSql(ACTIVITY, reminderDays)})) <= ${now}, false)`;
  const extra = Prisma.sql`jsonb_build_object('reason', 'IDLE', 'note', ${idleNote(idleDays)}::text, 'idleDays', ${idleDays}::int,
      'lastUsedAt', ${isoJsonSql(Prisma.sql`k."lastUsedAt"`)}, 'idleSince', ${isoJsonSql(Prisma.sql`m.activity`)})`;
  const events = insertEventsSql(
    {
      type: "key.revoked",
      dedupeKey: Prisma.sql`'revoked:' || k.id`,
      actorId: null,
      actorLabel: "sweep",
      occurredAt: now,
      extra,
      noticed: true,
    },
    Prisma.sql`FROM written w JOIN moved m ON m.id = w."keyId" JOIN "ApiKey" k ON k.id = w."keyId"`,
  );
  return Prisma.sql`
    WITH ${dueByAnchorSql(LOCK.idle, cutoff, batchSize, after)}, seen AS MATERIALIZED (
      -- Materialized: inlined into the UPDATE below, its conditions made the planner hash the
      -- whole ApiKey table for every batch (docs/performance.md, "Walking past handled keys").
      SELECT d.id, ${watchedSql(now)} AS watched, ${ACTIVITY} <= ${cutoff} AND ${told} AS ready
      FROM due d JOIN "ApiKey" k ON k.id = d.id
    ), moved AS (
      -- The conditions on k are re-checked on the newest row version (READ COMMITTED): a usage
      -- flush that committed since this statement began moves the key up instead of disabling it.
      UPDATE "ApiKey" k
      SET "idleSeenAt" = CASE WHEN NOT s.watched OR (s.ready AND ${ACTIVITY} <= ${cutoff}) THEN ${now} ELSE ${ACTIVITY} END
      FROM seen s
      WHERE k.id = s.id AND (NOT s.watched OR s.ready OR ${ACTIVITY} > ${cutoff})
      RETURNING k.id, s.watched AND s.ready AND ${ACTIVITY} <= ${cutoff} AS idle, ${ACTIVITY} AS activity
    ), written AS (
      INSERT INTO "BlacklistedKey" ("keyId", reason, "blacklistedAt", "actorLabel", note)
      SELECT id, 'IDLE', ${now}, 'sweep', ${idleNote(idleDays)} FROM moved WHERE idle
      ON CONFLICT ("keyId") DO NOTHING
      RETURNING "keyId"
    ), events AS (${events}), noticed AS (${noticesFromEventsSql(Prisma.sql`events`)}),
    announced AS (SELECT pg_notify(${KEY_CHANGED_CHANNEL}, "keyId") FROM written),
    last AS (SELECT at, id FROM due ORDER BY at DESC, id DESC LIMIT 1)
    SELECT (SELECT count(*) FROM due) AS picked, (SELECT count(*) FROM written) AS changed,
           (SELECT count(*) FROM noticed) AS noticed, (SELECT at FROM last) AS last_at, (SELECT id FROM last) AS last_id,
           (SELECT array_agg("keyId") FROM written) AS ids, (SELECT count(*) FROM announced) AS announced`;
}

/**
 * Records the idle reminder for one batch of keys that have entered the window of
 * `reminderDays[index]` days before they would be disabled, but not the next smaller window (the
 * smallest has no lower bound: a key already past KEY_IDLE_DAYS, or whose reminders a stopped
 * cron missed, gets the smallest window's reminder, and `disablesAt` at least that many days
 * later). A key already reminded for this or a smaller window in this idle spell is skipped, as
 * is one that expires before it would be disabled (its expiry reminders say enough). Each
 * reminder is a key.idle event with the owners' IDLE notice, in the same statement.
 */
export async function idleRemindBatch(
  settings: IdleSettings,
  index: number,
  batchSize: number,
  after: Cursor = START,
): Promise<BatchResult> {
  const { now, idleDays, reminderDays } = settings;
  const windowDays = reminderDays[index]!;
  const base = now.getTime() - idleDays * DAY_MS;
  // Activity at or before `upper` puts a key within windowDays of being disabled; after `lower`,
  // outside the next smaller window.
  const upper = new Date(base + windowDays * DAY_MS);
  const lower = index === 0 ? null : new Date(base + reminderDays[index - 1]! * DAY_MS);
  const disablesAt = Prisma.sql`GREATEST(s.activity + ${daysSql(idleDays)}, ${now}::timestamptz + ${daysSql(reminderDays[0]!)})`;
  const extra = Prisma.sql`jsonb_build_object('windowDays', ${windowDays}::int, 'idleDays', ${idleDays}::int,
      'lastUsedAt', ${isoJsonSql(Prisma.sql`k."lastUsedAt"`)}, 'idleSince', ${isoJsonSql(Prisma.sql`r.activity`)},
      'disablesAt', ${isoJsonSql(Prisma.sql`r.disables_at`)})`;
  const events = insertEventsSql(
    {
      type: "key.idle",
      dedupeKey: Prisma.sql`'idle:' || k.id || ':' || ${windowDays}::int || ':' || ((extract(epoch FROM r.activity) * 1000)::bigint)::text`,
      actorId: null,
      actorLabel: "sweep",
      occurredAt: now,
      extra,
      noticed: true,
    },
    Prisma.sql`FROM remind r JOIN "ApiKey" k ON k.id = r.id`,
  );
  const smallerOrThis = reminderDays.slice(0, index + 1);
  return toResult(
    await prisma.$queryRaw<BatchRow[]>`
    WITH ${dueByAnchorSql(windowLock(LOCK.idleRemind, windowDays), upper, batchSize, after)}, seen AS (
      SELECT d.id, ${watchedSql(now)} AS watched, ${ACTIVITY} AS activity, k."expiresAt"
      FROM due d JOIN "ApiKey" k ON k.id = d.id
    ), moved AS (
      -- Used since (re-checked on the newest row version), or no longer watched: out of this walk.
      UPDATE "ApiKey" k SET "idleSeenAt" = CASE WHEN s.watched THEN ${ACTIVITY} ELSE ${now} END
      FROM seen s
      WHERE k.id = s.id AND (NOT s.watched OR ${ACTIVITY} > ${upper})
      RETURNING k.id
    ), remind AS (
      SELECT s.id, s.activity, ${disablesAt} AS disables_at FROM seen s, "ApiKey" k
      WHERE k.id = s.id AND s.watched AND s.activity <= ${upper} AND (${lower}::timestamptz IS NULL OR s.activity > ${lower}::timestamptz)
        AND NOT EXISTS (SELECT 1 FROM moved m WHERE m.id = s.id)
        AND NOT EXISTS (SELECT 1 FROM "KeyEvent" e WHERE e."dedupeKey" = ANY(${spellKeysSql(Prisma.sql`s.activity`, smallerOrThis)}))
        AND (s."expiresAt" IS NULL OR s."expiresAt" > ${disablesAt})
    ), events AS (${events}), noticed AS (${noticesFromEventsSql(Prisma.sql`events`)}),
    last AS (SELECT at, id FROM due ORDER BY at DESC, id DESC LIMIT 1)
    SELECT (SELECT count(*) FROM due) AS picked, (SELECT count(*) FROM events) AS changed,
           (SELECT count(*) FROM noticed) AS noticed, (SELECT at FROM last) AS last_at, (SELECT id FROM last) AS last_id`,
  );
}
