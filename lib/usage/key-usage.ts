import "server-only";
import { prisma } from "@/lib/db/client";
import { accessKeyOrThrow } from "@/lib/keys/read/key-access";
import { fillSeries, type CountRow, type Granularity, type UsageSeries } from "./usage-buckets";
import type { UsageOutcome } from "@/lib/usage/usage-outcomes";
import { resolveUsageRange, type TKeyUsageQuery, type UsageRange } from "./usage-range";

/** One key's usage over a range, and what the key itself says about its use. */
export interface KeyUsage extends UsageSeries {
  keyId: string;
  /** Successful verifications, ever (written by the usage flush; the last few seconds may be pending). */
  usageCount: number;
  lastUsedAt: string | null;
  /** The client address the gate last saw a successful call from; null when none (verify-route callers are not recorded). */
  lastClientIp: string | null;
}

/**
 * A key's answers per bucket and outcome over [from, to), zero-filled, with totals. One grouped
 * range scan of the key's counters (the primary key starts with keyId, hour).
 */
export async function keyUsageSeries(keyId: string, range: UsageRange): Promise<UsageSeries> {
  const rows = await prisma.$queryRaw<{ bucket: Date; outcome: UsageOutcome; n: number }[]>`
    SELECT date_trunc(${range.granularity satisfies Granularity}, hour, 'UTC') AS bucket, outcome::text AS outcome, sum(count)::float8 AS n
    FROM "KeyUsageHour"
    WHERE "keyId" = ${keyId} AND hour >= ${new Date(range.from)} AND hour < ${new Date(range.to)}
    GROUP BY 1, 2`;
  const counted: CountRow[] = rows.map((r) => ({ bucket: r.bucket.getTime(), outcome: r.outcome, count: r.n }));
  return fillSeries(counted, range.from, range.to, range.granularity);
}

/** The key's own counters (usageCount, last use, last client), read fresh. */
async function keyCounters(keyId: string) {
  const row = await prisma.apiKey.findUniqueOrThrow({
    where: { id: keyId },
    select: { usageCount: true, lastUsedAt: true, lastClientIp: true },
  });
  return {
    usageCount: Number(row.usageCount),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    lastClientIp: row.lastClientIp,
  };
}

/**
 * A key's usage for someone who may see the key (its owner, or a member of its team); anyone
 * else's key is a 404, like every key route. The range is validated and bounded (422).
 */
export async function getKeyUsage(
  userId: string,
  keyId: string,
  query: TKeyUsageQuery,
  now = Date.now(),
): Promise<KeyUsage> {
  const range = resolveUsageRange(query, now);
  await accessKeyOrThrow(userId, keyId, "view");
  const [series, counters] = await Promise.all([keyUsageSeries(keyId, range), keyCounters(keyId)]);
  return { keyId, ...counters, ...series };
}
