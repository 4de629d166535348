import "server-only";
import { prisma } from "@/lib/db/client";
import type { KeyOwner } from "./key-owner";

export interface TimelineDay {
  /** YYYY-MM-DD (UTC) */
  day: string;
  count: number;
}

/**
 * How many working keys expire on each of the next `days` days (UTC), zero days included, for
 * one owner or everyone. One grouped query over the expiresAt index.
 */
export async function expiryTimeline(scope: { owner: KeyOwner } | { all: true }, days = 90): Promise<TimelineDay[]> {
  const now = new Date();
  const end = new Date(now.getTime() + days * 86_400_000);
  const userId = "owner" in scope && scope.owner.type === "user" ? scope.owner.id : null;
  const teamId = "owner" in scope && scope.owner.type === "team" ? scope.owner.id : null;
  const rows = await prisma.$queryRaw<{ day: string; count: bigint }[]>`
    SELECT to_char(date_trunc('day', k."expiresAt" AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day, count(*) AS count
    FROM "ApiKey" k
    WHERE k."expiresAt" > ${now} AND k."expiresAt" <= ${end}
      AND (${userId}::text IS NULL OR k."userId" = ${userId})
      AND (${teamId}::text IS NULL OR k."teamId" = ${teamId})
      AND NOT EXISTS (SELECT 1 FROM "BlacklistedKey" b WHERE b."keyId" = k.id)
    GROUP BY 1`;
  const counts = new Map(rows.map((r) => [r.day, Number(r.count)]));
  return Array.from({ length: days + 1 }, (_, i) => {
    const day = new Date(now.getTime() + i * 86_400_000).toISOString().slice(0, 10);
    return { day, count: counts.get(day) ?? 0 };
  });
}
