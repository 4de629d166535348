import "server-only";
import { prisma } from "@/lib/db/client";
import { START, toResult, type BatchResult, type BatchRow, type Cursor } from "@/lib/db/batch";

/**
 * Gathers pending notices into emails: one per owner, kind and window, however many keys that
 * owner has in it. Each batch takes the next owners with pending notices (walked in user id
 * order: the cursor's `id` is the last owner) among the next `batchSize` pending notices, and
 * claims all of those owners' pending notices with SKIP LOCKED, re-checked under the lock, so
 * overlapping sweeps never put one notice into two emails.
 */
export async function queueEmailsBatch(now: Date, batchSize: number, after: Cursor = START): Promise<BatchResult> {
  return toResult(
    await prisma.$queryRaw<BatchRow[]>`
    WITH scan AS (
      SELECT n."userId" FROM "Notification" n
      WHERE n."emailStatus" = 'PENDING' AND n."userId" > ${after.id}
      ORDER BY n."userId"
      LIMIT ${batchSize}
    ), owners AS (SELECT DISTINCT "userId" FROM scan), claimed AS (
      -- The owners are contiguous in id order: claim by range, so this stays an index range scan.
      SELECT n.id, n."userId", n.kind, n."windowDays" FROM "Notification" n
      WHERE n."emailStatus" = 'PENDING' AND n."userId" > ${after.id} AND n."userId" <= (SELECT max("userId") FROM owners)
      FOR UPDATE OF n SKIP LOCKED
    ), grouped AS (
      SELECT "userId", kind, "windowDays", gen_random_uuid()::text AS email_id
      FROM claimed GROUP BY "userId", kind, "windowDays"
    ), emails AS (
      INSERT INTO "EmailMessage" (id, "userId", "toAddress", kind, "windowDays", status, "createdAt", "nextAttemptAt")
      SELECT g.email_id, g."userId", u.email, g.kind::text::"EmailKind", g."windowDays", 'PENDING', ${now}, ${now}
      FROM grouped g JOIN "User" u ON u.id = g."userId"
      RETURNING id
    ), linked AS (
      UPDATE "Notification" n SET "emailStatus" = 'QUEUED', "emailId" = g.email_id
      FROM claimed c JOIN grouped g
        ON g."userId" = c."userId" AND g.kind = c.kind AND g."windowDays" IS NOT DISTINCT FROM c."windowDays"
      WHERE n.id = c.id
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM owners) AS picked, (SELECT count(*) FROM emails) AS changed,
           ${START.at}::timestamptz AS last_at, (SELECT max("userId") FROM owners) AS last_id`,
  );
}
