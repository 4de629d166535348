import "server-only";
import { Prisma, prisma } from "@/lib/db/client";
import { insertEventsSql, isoJsonSql } from "@/lib/events/event-sql";
import { noticesFromEventsSql } from "@/lib/notify/notices-from-events";
import { START, toResult, type BatchResult, type BatchRow, type Cursor } from "@/lib/db/batch";

// The sweep's set-based statements. Each call handles one batch in one statement (its own
// transaction). Steps that add rows (blacklist, reminder, notice) take one transaction-level
// advisory lock per batch, so an overlapping sweep skips the step instead of doing it twice, and
// ON CONFLICT against primary keys makes "exactly once" a database fact even if it did not.
// (Row locks on every due key cost more than the work itself: they write each tuple.) The purge
// deletes rows, so it claims them with FOR UPDATE SKIP LOCKED.
// The key's event (lib/events) and the owner's notice made from it (lib/notify) are written by
// the same statement as the change they report, so a sweep killed between batches leaves only
// whole batches behind; the next run continues.
// Steps that leave their rows in place walk them with a keyset cursor (lib/db/batch.ts).

/**
 * Advisory lock keys, one per step (arbitrary constants, unique to Keyward), and `notices`, held
 * while notices are recorded or gathered into emails (sweep-lock.ts).
 *
 * A batch that finds its step's lock taken claims nothing, and its sweep moves on to the next
 * step: the holder is doing this very step and drains it. That holds only if no two steps share a
 * lock, so steps that run once per reminder window take one lock per window (windowLock). With one
 * lock for every idle step, two concurrent sweeps each left the idle blacklisting to the other
 * (one was reminding by then) and 200 of 300 idle keys waited for the next run.
 */
export const LOCK = {
  expire: 74_657_001,
  grace: 74_657_002,
  remind: 74_657_003,
  notices: 74_657_004,
  idle: 74_657_005,
  idleRemind: 74_657_006,
  /** The reminders' second walk, along grace ends (remindBatch): a lock of its own, like every walk. */
  remindGrace: 74_657_007,
} as const;

/** The lock of one reminder window of a windowed step (EXPIRY_REMINDER_DAYS are 1–365 days). */
export function windowLock(
  step: typeof LOCK.remind | typeof LOCK.remindGrace | typeof LOCK.idleRemind,
  windowDays: number,
): number {
  return step * 1000 + windowDays;
}

/**
 * The closing part every step statement shares: counts, and the cursor after the last row the
 * walk reached (`walked`: `due` itself, or a skipping walk's due keys and last key scanned).
 */
const countsSql = (walked: "due" | "walked" = "due") => {
  const from = Prisma.raw(walked);
  return Prisma.sql`
    last AS (SELECT at, id FROM ${from} ORDER BY at DESC, id DESC LIMIT 1)
    SELECT (SELECT count(*) FROM ${from}) AS picked, (SELECT count(*) FROM written) AS changed,
           (SELECT count(*) FROM noticed) AS noticed, (SELECT at FROM last) AS last_at, (SELECT id FROM last) AS last_id`;
};

/**
 * How many keys one batch of a skipping walk looks at, at most: see skippingWalkSql. Kept small
 * enough that the planner's estimate of an expiry batch over a large table stays under
 * jit_above_cost: compiling each statement costs more than it saves (docs/performance.md).
 */
export const WALK_SPAN = 5_000;

/** A walk along an index on (at, id): `range` bounds `at`, `open` says which keys are due. */
interface SkippingWalk {
  lock: Prisma.Sql;
  at: Prisma.Sql;
  range: Prisma.Sql;
  open: Prisma.Sql;
}

/**
 * "No row in `from`" for a skipping walk's `open`, as one index probe per key scanned. Written as
 * NOT EXISTS, PostgreSQL may hash the whole table instead, planned from statistics taken before
 * the run: the blacklist grows by a batch each time, so each batch hashed more, and the batches
 * slowed as the run went on (docs/performance.md, "Walking past handled keys").
 */
const probe = (from: Prisma.Sql) => Prisma.sql`(SELECT 1 FROM ${from} LIMIT 1) IS NULL`;

/** A walk's "the key `k` is not blacklisted yet". */
const notBlacklistedProbe = probe(Prisma.sql`"BlacklistedKey" b WHERE b."keyId" = k.id`);

/**
 * The head of a walk over keys of which many may be handled already (expired keys stay
 * blacklisted until the purge, reminded keys stay in their window), so every run walks past them:
 * `step` (the lock); `scanned`, at most `span` keys after the cursor, in order, with whether each
 * is open; `due`, the first `size` open ones; and `walked`, the due keys, plus the last key
 * scanned when the batch is not full, so the next batch starts after it. PostgreSQL reads a WITH
 * query only as far as it is fetched: with everything due, `scanned` stops at the batch's `size`th
 * key; with nothing due, at the span. Without the span, a run with nothing due looked at every
 * handled key in one batch, seconds long beside a large blacklist (docs/performance.md). A batch that
 * finds nothing due still walked (it counts the last key scanned), and the step goes on until a
 * batch walks nothing.
 */
function skippingWalkSql(walk: SkippingWalk, size: number, after: Cursor, span: number): Prisma.Sql {
  return Prisma.sql`step AS (SELECT ${walk.lock} AS mine), scanned AS (
      SELECT k.id, ${walk.at} AS at, ${walk.open} AS open FROM "ApiKey" k, step
      WHERE step.mine AND ${walk.range} AND (${walk.at}, k.id) > (${after.at}::timestamptz, ${after.id}::text)
      ORDER BY ${walk.at}, k.id
      LIMIT ${span}
    ), due AS (
      SELECT id, at FROM scanned WHERE open LIMIT ${size}
    ), walked AS (
      SELECT at, id FROM due
      UNION ALL
      (SELECT at, id FROM scanned WHERE (SELECT count(*) FROM due) < ${size} ORDER BY at DESC, id DESC LIMIT 1)
    )`;
}

export interface BlacklistStep {
  lock: number;
  /** The ApiKey column whose passing makes a key due (a constant, never input). */
  column: "expiresAt" | "graceEndsAt";
  reason: "EXPIRED" | "ROTATED";
  note: string | null;
  event: { type: "key.expired" | "key.grace_ended"; dedupePrefix: string };
}

/**
 * Blacklists keys whose `column` instant has passed, one batch, in one statement with the key
 * events (lib/events) and the owners' notices made from them (lib/notify).
 */
async function blacklistDueBatch(
  step: BlacklistStep,
  now: Date,
  batchSize: number,
  after: Cursor,
  span: number,
): Promise<BatchResult> {
  return toResult(await prisma.$queryRaw<BatchRow[]>(blacklistDueSql(step, now, { size: batchSize, after, span })));
}

/**
 * The statement of a blacklisting step. With `batch`: one batch, under the step's lock, walking
 * from the cursor. Without: every due key at once, no lock, no cursor, no order (what
 * `npm run bench:sweep` compares the batched sweep against: the same work as one statement).
 */
export function blacklistDueSql(
  step: BlacklistStep,
  now: Date,
  batch?: { size: number; after: Cursor; span?: number },
): Prisma.Sql {
  const column = Prisma.raw(`k."${step.column}"`);
  const extra = Prisma.sql`jsonb_build_object('reason', ${step.reason}::text, 'note', ${step.note}::text,
      'replacedBy', k."replacedById", 'graceEndsAt', ${isoJsonSql(Prisma.sql`k."graceEndsAt"`)})`;
  const events = insertEventsSql(
    {
      type: step.event.type,
      dedupeKey: Prisma.sql`${step.event.dedupePrefix} || k.id`,
      actorId: null,
      actorLabel: "sweep",
      occurredAt: now,
      extra,
      noticed: true,
    },
    Prisma.sql`FROM written w JOIN "ApiKey" k ON k.id = w."keyId"`,
  );
  const head = batch
    ? skippingWalkSql(
        {
          lock: Prisma.sql`pg_try_advisory_xact_lock(${step.lock})`,
          at: column,
          range: Prisma.sql`${column} <= ${now}`,
          open: notBlacklistedProbe,
        },
        batch.size,
        batch.after,
        batch.span ?? WALK_SPAN,
      )
    : Prisma.sql`due AS (SELECT k.id, ${column} AS at FROM "ApiKey" k WHERE ${column} <= ${now}
        AND NOT EXISTS (SELECT 1 FROM "BlacklistedKey" b WHERE b."keyId" = k.id))`;
  return Prisma.sql`
    WITH ${head}, written AS (
      INSERT INTO "BlacklistedKey" ("keyId", reason, "blacklistedAt", "actorLabel", note)
      SELECT id, ${step.reason}::"BlacklistReason", ${now}, 'sweep', ${step.note} FROM due
      ON CONFLICT ("keyId") DO NOTHING
      RETURNING "keyId"
    ), events AS (${events}), noticed AS (${noticesFromEventsSql(Prisma.sql`events`)}), ${countsSql(batch ? "walked" : "due")}`;
}

/** The sweep's first step: keys whose expiresAt has passed become EXPIRED. */
export const EXPIRE_STEP: BlacklistStep = {
  lock: LOCK.expire,
  column: "expiresAt",
  reason: "EXPIRED",
  note: null,
  event: { type: "key.expired", dedupePrefix: "expired:" },
};

/** Blacklists (EXPIRED) keys whose expiresAt has passed and that are not blacklisted yet. */
export function expireBatch(
  now: Date,
  batchSize: number,
  after: Cursor = START,
  span = WALK_SPAN,
): Promise<BatchResult> {
  return blacklistDueBatch(EXPIRE_STEP, now, batchSize, after, span);
}

/** Blacklists (ROTATED) replaced keys whose grace period has ended. */
export function endGraceBatch(
  now: Date,
  batchSize: number,
  after: Cursor = START,
  span = WALK_SPAN,
): Promise<BatchResult> {
  const event = { type: "key.grace_ended", dedupePrefix: "grace_ended:" } as const;
  const note = "Grace period after rotation ended";
  return blacklistDueBatch(
    { lock: LOCK.grace, column: "graceEndsAt", reason: "ROTATED", note, event },
    now,
    batchSize,
    after,
    span,
  );
}

/**
 * Which of a key's two instants a reminder walk follows. A key is reminded about its end, the
 * instant it stops working (lib/keys/expiring-soon.ts): its expiry, or for a rotated key whose
 * grace ends first, its grace end. Each key's end is exactly one of the two, so walking each
 * column along its own index (keys whose end it is) covers every key once, with no index on the
 * end itself.
 */
export type ReminderWalk = "expiresAt" | "graceEndsAt";

const REMINDER_WALKS: Record<
  ReminderWalk,
  { lock: typeof LOCK.remind | typeof LOCK.remindGrace; column: Prisma.Sql; isEnd: Prisma.Sql }
> = {
  expiresAt: {
    lock: LOCK.remind,
    column: Prisma.sql`k."expiresAt"`,
    isEnd: Prisma.sql`(k."graceEndsAt" IS NULL OR k."graceEndsAt" >= k."expiresAt")`,
  },
  graceEndsAt: {
    lock: LOCK.remindGrace,
    column: Prisma.sql`k."graceEndsAt"`,
    isEnd: Prisma.sql`(k."expiresAt" IS NULL OR k."graceEndsAt" < k."expiresAt")`,
  },
};

/**
 * Records the reminder for keys whose end has entered the window of `windowDays` but not the next
 * smaller one (`lowerDays`, 0 for the smallest): a key issued with 2 days left gets the 1-day
 * reminder later, not a stale 7-day one now. A key already reminded for this or a smaller window
 * is skipped; the primary key (keyId, windowDays) guarantees once. Each reminder is a
 * key.expiring event, with the owner's notice, in the same statement.
 *
 * A rotated key still working is reminded too (services still using it break when it stops; the
 * event carries `replacedBy` and `graceEndsAt`, and the notice says "stops working"), but only
 * for windows its end entered after the rotation: the person who rotated it chose that end a
 * moment ago, so a 24-hour grace sends nothing, and a 7-day one the 1-day reminder.
 */
export async function remindBatch(
  now: Date,
  windowDays: number,
  lowerDays: number,
  batchSize: number,
  after: Cursor = START,
  span = WALK_SPAN,
  walk: ReminderWalk = "expiresAt",
): Promise<BatchResult> {
  const upper = new Date(now.getTime() + windowDays * 86_400_000);
  const lower = new Date(now.getTime() + lowerDays * 86_400_000);
  const { lock, column, isEnd } = REMINDER_WALKS[walk];
  const replaced = Prisma.sql`CASE WHEN k."replacedById" IS NULL THEN '{}'::jsonb
      ELSE jsonb_build_object('replacedBy', k."replacedById", 'graceEndsAt', ${isoJsonSql(Prisma.sql`k."graceEndsAt"`)}) END`;
  const events = insertEventsSql(
    {
      type: "key.expiring",
      dedupeKey: Prisma.sql`'expiring:' || k.id || ':' || ${windowDays}::int`,
      actorId: null,
      actorLabel: "sweep",
      occurredAt: now,
      extra: Prisma.sql`jsonb_build_object('windowDays', ${windowDays}::int) || ${replaced}`,
      noticed: true,
    },
    Prisma.sql`FROM written w JOIN "ApiKey" k ON k.id = w."keyId"`,
  );
  // The replacement was made at the rotation: the window counts if the end entered it later.
  const enteredAfterRotation = Prisma.sql`(k."replacedById" IS NULL OR
    (SELECT n."createdAt" FROM "ApiKey" n WHERE n.id = k."replacedById") < ${column} - ${windowDays}::int * interval '1 day')`;
  return toResult(
    await prisma.$queryRaw<BatchRow[]>`
    WITH ${skippingWalkSql(
      {
        lock: Prisma.sql`pg_try_advisory_xact_lock(${windowLock(lock, windowDays)}::bigint)`,
        at: column,
        range: Prisma.sql`${column} > ${lower} AND ${column} <= ${upper}`,
        open: Prisma.sql`(${isEnd} AND ${enteredAfterRotation} AND ${notBlacklistedProbe}
          AND ${probe(Prisma.sql`"KeyReminder" r WHERE r."keyId" = k.id AND r."windowDays" <= ${windowDays}`)})`,
      },
      batchSize,
      after,
      span,
    )}, written AS (
      INSERT INTO "KeyReminder" ("keyId", "windowDays", "dueAt")
      SELECT id, ${windowDays}, ${now} FROM due
      ON CONFLICT ("keyId", "windowDays") DO NOTHING
      RETURNING "keyId"
    ), events AS (${events}), noticed AS (${noticesFromEventsSql(Prisma.sql`events`)}), ${countsSql("walked")}`,
  );
}

/** Deletes keys blacklisted before the retention cutoff (their rows cascade away). */
export async function purgeBatch(cutoff: Date, batchSize: number, after: Cursor = START): Promise<BatchResult> {
  return toResult(
    await prisma.$queryRaw<BatchRow[]>`
    WITH due AS (
      SELECT b."keyId" AS id, b."blacklistedAt" AS at FROM "BlacklistedKey" b
      WHERE b."blacklistedAt" <= ${cutoff}
        AND (b."blacklistedAt", b."keyId") > (${after.at}::timestamptz, ${after.id}::text)
      ORDER BY b."blacklistedAt", b."keyId"
      LIMIT ${batchSize}
      FOR UPDATE OF b SKIP LOCKED
    ), deleted AS (
      DELETE FROM "ApiKey" k USING due WHERE k.id = due.id RETURNING 1
    ), last AS (SELECT at, id FROM due ORDER BY at DESC, id DESC LIMIT 1)
    SELECT (SELECT count(*) FROM due) AS picked, (SELECT count(*) FROM deleted) AS changed,
           (SELECT at FROM last) AS last_at, (SELECT id FROM last) AS last_id`,
  );
}

/**
 * Deletes one batch of hourly usage counters older than the cutoff (USAGE_RETENTION_DAYS), oldest
 * first along the hour index, claimed with SKIP LOCKED (a usage flush adding to an old hour keeps
 * its row this time). The cursor is the last hour deleted: the next batch starts at it, not before
 * it, so it does not step over the dead index entries of the rows just deleted.
 */
export async function purgeUsageBatch(cutoff: Date, batchSize: number, after: Cursor = START): Promise<BatchResult> {
  const [row] = await prisma.$queryRaw<{ picked: bigint; changed: bigint; last_at: Date | null }[]>`
    WITH due AS (
      SELECT u."keyId", u.hour, u.outcome FROM "KeyUsageHour" u
      WHERE u.hour < ${cutoff} AND u.hour >= ${after.at}
      ORDER BY u.hour
      LIMIT ${batchSize}
      FOR UPDATE SKIP LOCKED
    ), deleted AS (
      DELETE FROM "KeyUsageHour" u USING due
      WHERE u."keyId" = due."keyId" AND u.hour = due.hour AND u.outcome = due.outcome
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM due) AS picked, (SELECT count(*) FROM deleted) AS changed, (SELECT max(hour) FROM due) AS last_at`;
  return hourCursor(row);
}

const SUMS = {
  KeyUsageHourTotal: Prisma.raw(`"KeyUsageHourTotal"`),
  UsageSumHour: Prisma.raw(`"UsageSumHour"`),
};

/**
 * The same for the sums of those counters (per key and hour; per hour and outcome, site-wide and
 * per owner), with the same cutoff, run after the counters' purge: a sum goes with the hour its
 * counters went with, so the site's chart, its top lists and the keys' charts cover the same hours.
 */
export async function purgeUsageSumsBatch(
  table: keyof typeof SUMS,
  cutoff: Date,
  batchSize: number,
  after: Cursor = START,
): Promise<BatchResult> {
  const [row] = await prisma.$queryRaw<{ picked: bigint; changed: bigint; last_at: Date | null }[]>`
    WITH due AS (
      SELECT t.ctid AS row, t.hour FROM ${SUMS[table]} t
      WHERE t.hour < ${cutoff} AND t.hour >= ${after.at}
      ORDER BY t.hour
      LIMIT ${batchSize}
      FOR UPDATE SKIP LOCKED
    ), deleted AS (
      DELETE FROM ${SUMS[table]} t USING due WHERE t.ctid = due.row RETURNING 1
    )
    SELECT (SELECT count(*) FROM due) AS picked, (SELECT count(*) FROM deleted) AS changed, (SELECT max(hour) FROM due) AS last_at`;
  return hourCursor(row);
}

function hourCursor(row: { picked: bigint; changed: bigint; last_at: Date | null } | undefined): BatchResult {
  const lastAt = row?.last_at ?? null;
  return {
    picked: Number(row?.picked ?? 0),
    changed: Number(row?.changed ?? 0),
    noticed: 0,
    cursor: lastAt ? { at: lastAt, id: "" } : null,
  };
}
