// Hourly usage counters and their sums, written together: the usage flush (usage-recorder.ts)
// and whatever writes counts after the fact use these statements, so the sums always match the
// counters. No server-only import: tests and the e2e run call it on a client of their own.
import type { PrismaClient } from "../db/generated/client";
import type { UsageOutcome } from "./usage-outcomes";

type Db = Pick<PrismaClient, "$executeRaw" | "$transaction">;

/** Hourly counters to add, one row per key, hour and outcome. */
export interface HourlyCount {
  keyId: string;
  /** Epoch ms of the hour's start. */
  hour: number;
  outcome: UsageOutcome;
  count: number;
}

/**
 * Adds to the keys' hourly counters (KeyUsageHour) and to their sums: per key and hour over the
 * outcomes (KeyUsageHourTotal), and per hour and outcome over every key and over each owner's
 * keys (UsageSumHour). Three statements in the caller's transaction: a sum never goes without its
 * counters. ON CONFLICT adds, so instances flushing the same key and hour all count. One (key,
 * hour, outcome) appears once. Each statement takes its rows in its ORDER BY's order (by key,
 * then by owner, site-wide first), and every flush takes the tables in the same order: two
 * flushes overlapping anywhere wait for each other, never in a circle. A key that no longer
 * exists is skipped in all three. The owner sums go to the owner the key has now.
 */
export function addCounts(db: Db, rows: readonly HourlyCount[]) {
  const ids = rows.map((r) => r.keyId);
  const hours = rows.map((r) => r.hour / 1000);
  const outcomes = rows.map((r) => r.outcome);
  const counts = rows.map((r) => r.count);
  return [
    db.$executeRaw`
      INSERT INTO "KeyUsageHour" ("keyId", hour, outcome, count)
      SELECT h.id, to_timestamp(h.hour), h.outcome::"UsageOutcome", h.n
      FROM unnest(${ids}::text[], ${hours}::float8[], ${outcomes}::text[], ${counts}::bigint[]) AS h(id, hour, outcome, n)
      WHERE EXISTS (SELECT 1 FROM "ApiKey" k WHERE k.id = h.id)
      ORDER BY 1, 2, 3
      ON CONFLICT ("keyId", hour, outcome) DO UPDATE SET count = "KeyUsageHour".count + EXCLUDED.count`,
    db.$executeRaw`
      INSERT INTO "KeyUsageHourTotal" ("keyId", hour, answers, refused)
      SELECT h.id, to_timestamp(h.hour), sum(h.n), COALESCE(sum(h.n) FILTER (WHERE h.outcome <> 'VALID'), 0)
      FROM unnest(${ids}::text[], ${hours}::float8[], ${outcomes}::text[], ${counts}::bigint[]) AS h(id, hour, outcome, n)
      WHERE EXISTS (SELECT 1 FROM "ApiKey" k WHERE k.id = h.id)
      GROUP BY h.id, h.hour
      ORDER BY 1, 2
      ON CONFLICT ("keyId", hour) DO UPDATE
      SET answers = "KeyUsageHourTotal".answers + EXCLUDED.answers, refused = "KeyUsageHourTotal".refused + EXCLUDED.refused`,
    db.$executeRaw`
      INSERT INTO "UsageSumHour" ("ownerId", hour, outcome, count)
      SELECT CASE WHEN GROUPING(o.owner) = 1 THEN '' ELSE o.owner END, o.hour, o.outcome, sum(o.n)
      FROM (
        SELECT COALESCE(k."userId", k."teamId") AS owner, to_timestamp(h.hour) AS hour, h.outcome::"UsageOutcome" AS outcome, h.n
        FROM unnest(${ids}::text[], ${hours}::float8[], ${outcomes}::text[], ${counts}::bigint[]) AS h(id, hour, outcome, n)
        JOIN "ApiKey" k ON k.id = h.id
      ) o
      GROUP BY GROUPING SETS ((o.hour, o.outcome), (o.owner, o.hour, o.outcome))
      ORDER BY 1, 2, 3
      ON CONFLICT ("ownerId", hour, outcome) DO UPDATE SET count = "UsageSumHour".count + EXCLUDED.count`,
  ];
}

/**
 * Adds hourly counters and their sums in one transaction, without touching the keys' use counts:
 * for counts written after the fact (tests of what the readers make of them, on their own
 * client). Verifications go through the recorder, which writes the same statements.
 */
export async function addHourlyCounts(db: Db, rows: readonly HourlyCount[]): Promise<void> {
  await db.$transaction(addCounts(db, rows));
}
