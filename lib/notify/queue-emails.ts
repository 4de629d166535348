import "server-only";
import { prisma } from "@/lib/db/client";

/**
 * Gathers pending notices into emails: one per owner, kind and window. Set-based, one batch per
 * statement; notices are claimed with SKIP LOCKED and re-checked under the lock, so overlapping
 * sweeps never put one notice into two emails.
 */
export async function queueEmailsBatch(now: Date, batchSize: number): Promise<{ picked: number; changed: number }> {
  const [row] = await prisma.$queryRaw<{ picked: bigint; changed: bigint }[]>`
    WITH claimed AS (
      SELECT n.id, n."userId", n.kind, n."windowDays" FROM "Notification" n
      WHERE n."emailStatus" = 'PENDING'
      ORDER BY n."createdAt"
      LIMIT ${batchSize}
      FOR UPDATE SKIP LOCKED
    ), grouped AS (
      SELECT "userId", kind, "windowDays", gen_random_uuid()::text AS email_id
      FROM claimed GROUP BY "userId", kind, "windowDays"
    ), emails AS (
      INSERT INTO "EmailMessage" (id, "userId", "toAddress", kind, "windowDays", status, "createdAt", "nextAttemptAt")
      SELECT g.email_id, g."userId", u.email, g.kind, g."windowDays", 'PENDING', ${now}, ${now}
      FROM grouped g JOIN "User" u ON u.id = g."userId"
      RETURNING id
    ), linked AS (
      UPDATE "Notification" n SET "emailStatus" = 'QUEUED', "emailId" = g.email_id
      FROM claimed c JOIN grouped g
        ON g."userId" = c."userId" AND g.kind = c.kind AND g."windowDays" IS NOT DISTINCT FROM c."windowDays"
      WHERE n.id = c.id
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM linked) AS picked, (SELECT count(*) FROM emails) AS changed`;
  return { picked: Number(row?.picked ?? 0), changed: Number(row?.changed ?? 0) };
}
