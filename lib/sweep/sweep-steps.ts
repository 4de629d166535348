import "server-only";
import { prisma } from "@/lib/db/client";

// The sweep's set-based statements. Each call handles one batch in one statement (its own
// transaction): rows are claimed with FOR UPDATE SKIP LOCKED so overlapping sweeps split the
// work instead of queueing, and ON CONFLICT / primary keys make "exactly once" a database fact.
// A sweep killed between batches leaves only whole batches behind; the next run continues.

interface BatchResult {
  /** Rows this statement claimed (0 means the step is done). */
  picked: number;
  /** Rows it changed (less than picked when a concurrent sweep won the race). */
  changed: number;
}

const toResult = (rows: { picked: bigint | number; changed: bigint | number }[]): BatchResult => ({
  picked: Number(rows[0]?.picked ?? 0),
  changed: Number(rows[0]?.changed ?? 0),
});

/** Blacklists (EXPIRED) keys whose expiresAt has passed and that are not blacklisted yet. */
export async function expireBatch(now: Date, batchSize: number): Promise<BatchResult> {
  return toResult(await prisma.$queryRaw`
    WITH due AS (
      SELECT k.id FROM "ApiKey" k
      WHERE k."expiresAt" <= ${now}
        AND NOT EXISTS (SELECT 1 FROM "BlacklistedKey" b WHERE b."keyId" = k.id)
      ORDER BY k."expiresAt"
      LIMIT ${batchSize}
      FOR UPDATE OF k SKIP LOCKED
    ), written AS (
      INSERT INTO "BlacklistedKey" ("keyId", reason, "blacklistedAt", "actorLabel", note)
      SELECT id, 'EXPIRED', ${now}, 'sweep', NULL FROM due
      ON CONFLICT ("keyId") DO NOTHING
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM due) AS picked, (SELECT count(*) FROM written) AS changed`);
}

/** Blacklists (ROTATED) replaced keys whose grace period has ended. */
export async function endGraceBatch(now: Date, batchSize: number): Promise<BatchResult> {
  return toResult(await prisma.$queryRaw`
    WITH due AS (
      SELECT k.id FROM "ApiKey" k
      WHERE k."graceEndsAt" <= ${now}
        AND NOT EXISTS (SELECT 1 FROM "BlacklistedKey" b WHERE b."keyId" = k.id)
      ORDER BY k."graceEndsAt"
      LIMIT ${batchSize}
      FOR UPDATE OF k SKIP LOCKED
    ), written AS (
      INSERT INTO "BlacklistedKey" ("keyId", reason, "blacklistedAt", "actorLabel", note)
      SELECT id, 'ROTATED', ${now}, 'sweep', 'Grace period after rotation ended' FROM due
      ON CONFLICT ("keyId") DO NOTHING
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM due) AS picked, (SELECT count(*) FROM written) AS changed`);
}

/**
 * Records the reminder for keys that have entered the window of `windowDays` but not the next
 * smaller one (`lowerDays`, 0 for the smallest): a key issued with 2 days left gets the 1-day
 * reminder later, not a stale 7-day one now. A key already reminded for this or a smaller window
 * is skipped; the primary key (keyId, windowDays) guarantees once.
 */
export async function remindBatch(now: Date, windowDays: number, lowerDays: number, batchSize: number): Promise<BatchResult> {
  const upper = new Date(now.getTime() + windowDays * 86_400_000);
  const lower = new Date(now.getTime() + lowerDays * 86_400_000);
  return toResult(await prisma.$queryRaw`
    WITH due AS (
      SELECT k.id FROM "ApiKey" k
      WHERE k."expiresAt" > ${lower} AND k."expiresAt" <= ${upper}
        AND k."replacedById" IS NULL
        AND NOT EXISTS (SELECT 1 FROM "BlacklistedKey" b WHERE b."keyId" = k.id)
        AND NOT EXISTS (SELECT 1 FROM "KeyReminder" r WHERE r."keyId" = k.id AND r."windowDays" <= ${windowDays})
      ORDER BY k."expiresAt"
      LIMIT ${batchSize}
      FOR UPDATE OF k SKIP LOCKED
    ), written AS (
      INSERT INTO "KeyReminder" ("keyId", "windowDays", "dueAt")
      SELECT id, ${windowDays}, ${now} FROM due
      ON CONFLICT ("keyId", "windowDays") DO NOTHING
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM due) AS picked, (SELECT count(*) FROM written) AS changed`);
}

/** Deletes keys blacklisted before the retention cutoff (their rows cascade away). */
export async function purgeBatch(cutoff: Date, batchSize: number): Promise<BatchResult> {
  return toResult(await prisma.$queryRaw`
    WITH due AS (
      SELECT b."keyId" AS id FROM "BlacklistedKey" b
      WHERE b."blacklistedAt" <= ${cutoff}
      ORDER BY b."blacklistedAt"
      LIMIT ${batchSize}
      FOR UPDATE OF b SKIP LOCKED
    ), deleted AS (
      DELETE FROM "ApiKey" k USING due WHERE k.id = due.id RETURNING 1
    )
    SELECT (SELECT count(*) FROM due) AS picked, (SELECT count(*) FROM deleted) AS changed`);
}
