import "server-only";
import { prisma } from "@/lib/db/client";
import { ReusedResult } from "@/lib/memo/reused-result";
import type { KeyOwner } from "./key-owner";

export interface TimelineDay {
  /** YYYY-MM-DD (UTC) */
  day: string;
  count: number;
}

/**
 * How long the chart of every key (the admin's) is reused. Counting a million keys' next 90 days
 * takes a few hundred milliseconds, which every /admin/keys page (a search's too) paid; a day-level
 * overview a minute old says the same thing. One owner's chart is always counted afresh.
 */
export const ALL_KEYS_TIMELINE_TTL_MS = 60_000;
const allKeys = new ReusedResult<TimelineDay[]>(ALL_KEYS_TIMELINE_TTL_MS, 4);

/**
 * How many working keys expire on each of the next `days` days (UTC), zero days included, for
 * one owner or everyone. One grouped query over the expiresAt index.
 */
export function expiryTimeline(scope: { owner: KeyOwner } | { all: true }, days = 90): Promise<TimelineDay[]> {
  if (!("all" in scope)) return countTimeline(scope, days);
  return allKeys.get(String(days), () => countTimeline(scope, days));
}

async function countTimeline(scope: { owner: KeyOwner } | { all: true }, days: number): Promise<TimelineDay[]> {
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
