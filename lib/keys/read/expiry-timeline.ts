import "server-only";
import { Prisma, prisma } from "@/lib/db/client";
import { ReusedResult } from "@/lib/memo/reused-result";
import { effectiveEndSql, expiringWindowDays } from "../expiring-soon";
import { responsibleForSql } from "../key-owner";
import { responsibilityOf } from "./responsibility";
import type { PersonScope } from "./list-keys";

export interface TimelineDay {
  /** YYYY-MM-DD (UTC) */
  day: string;
  /** Working keys whose end (expiring-soon.ts effectiveEnd) falls on that day. */
  count: number;
  /** Of those, the ones inside the first reminder window: expiring soon (the day the window ends holds some of each). */
  soon: number;
}

/**
 * How long the chart of every key (the admin's) is reused. Counting a million keys' next 90 days
 * takes a few hundred milliseconds, which every /admin/keys page (a search's too) paid; a day-level
 * overview a minute old says the same thing. One owner's chart is always counted afresh.
 */
export const ALL_KEYS_TIMELINE_TTL_MS = 60_000;
const allKeys = new ReusedResult<TimelineDay[]>(ALL_KEYS_TIMELINE_TTL_MS, 4);

/**
 * How many working keys stop working on each of the next `days` days (UTC), zero days included, by
 * their end (expiry, or grace end for a rotated key in grace), for one owner, for what a person is
 * responsible for, or for everyone; `soon` counts the ones inside the first reminder window, so
 * the chart's amber part is the Expiring soon tab. One grouped query over the two columns' indexes.
 */
export function expiryTimeline(scope: PersonScope | { all: true }, days = 90): Promise<TimelineDay[]> {
  if (!("all" in scope)) return countTimeline(scope, days);
  return allKeys.get(String(days), () => countTimeline(scope, days));
}

async function countTimeline(scope: PersonScope | { all: true }, days: number): Promise<TimelineDay[]> {
  const now = new Date();
  const end = new Date(now.getTime() + days * 86_400_000);
  const soonEnd = new Date(now.getTime() + expiringWindowDays() * 86_400_000);
  const whose =
    "all" in scope
      ? Prisma.sql`TRUE`
      : "responsible" in scope
        ? responsibleForSql(await responsibilityOf(scope.responsible))
        : scope.owner.type === "team"
          ? Prisma.sql`k."teamId" = ${scope.owner.id}`
          : Prisma.sql`k."userId" = ${scope.owner.id}`;
  const rows = await prisma.$queryRaw<{ day: string; count: bigint; soon: bigint }[]>`
    SELECT to_char(date_trunc('day', ${effectiveEndSql} AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day, count(*) AS count,
           count(*) FILTER (WHERE ${effectiveEndSql} <= ${soonEnd}) AS soon
    FROM "ApiKey" k
    WHERE ((k."expiresAt" > ${now} AND k."expiresAt" <= ${end}) OR (k."graceEndsAt" > ${now} AND k."graceEndsAt" <= ${end}))
      AND ${effectiveEndSql} > ${now} AND ${effectiveEndSql} <= ${end} AND k.kind = 'KEY' AND ${whose}
      AND NOT EXISTS (SELECT 1 FROM "BlacklistedKey" b WHERE b."keyId" = k.id)
    GROUP BY 1`;
  const counts = new Map(rows.map((r) => [r.day, r]));
  return Array.from({ length: days + 1 }, (_, i) => {
    const day = new Date(now.getTime() + i * 86_400_000).toISOString().slice(0, 10);
    const row = counts.get(day);
    return { day, count: Number(row?.count ?? 0), soon: Number(row?.soon ?? 0) };
  });
}
