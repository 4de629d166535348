import "server-only";
import { z } from "zod";
import { prisma } from "@/lib/db/client";
import { ReusedResult } from "@/lib/memo/reused-result";
import { KEY_VIEW_SELECT, toKeyView, type KeyView } from "@/lib/keys/key-view";
import { DAY_MS, fillSeries, floorToBucket, zeroCounts, type CountRow, type OutcomeCounts, type UsageSeries } from "./usage-buckets";
import { HOUR_MS, type UsageOutcome } from "@/lib/metering/usage-outcomes";

/** Where the unused-keys list goes on: the last key looked at, as `<createdAt epoch ms>.<id>`. */
const CURSOR = /^(\d{1,15})\.([0-9a-f-]{36})$/;

export const ZAdminUsageQuery = z.strictObject({
  hours: z.coerce.number().int().min(1).max(168).default(48).describe("The traffic window: the chart's hours and the top lists' span, ending with the current hour (at most 7 days)"),
  top: z.coerce.number().int().min(1).max(50).default(10).describe("Entries in each top list"),
  unusedDays: z.coerce.number().int().min(1).max(3650).default(30).describe("A working key not used successfully for this many days is listed as unused (a never-used key counts from its creation)"),
  unusedAfter: z.string().regex(CURSOR, "A cursor from `unused.next`").optional().describe("Continue the unused list after this cursor (`unused.next`)"),
  pageSize: z.coerce.number().int().min(1).max(100).default(20).describe("Unused keys per page"),
});
export type TAdminUsageQuery = z.output<typeof ZAdminUsageQuery>;

/**
 * Keys the unused list looks at per request, at most. It walks working keys oldest first along
 * the createdAt index and stops at a page's worth; when few old keys are unused it stops here
 * instead, and `next` says where to go on. Bounded work per request at any table size, without
 * an index on lastUsedAt (which every usage flush would have to maintain: see the schema).
 */
export const UNUSED_SCAN_LIMIT = 20_000;

export interface KeyTraffic {
  key: KeyView;
  total: number;
  valid: number;
  refused: number;
  /** Answers per outcome in the window. */
  counts: OutcomeCounts;
}

export interface UnusedKey {
  key: KeyView;
  /** Whole days since its last successful use, or since its creation when never used. */
  idleDays: number;
}

export interface AdminUsage {
  hours: number;
  /** When the traffic figures (chart, top lists) were counted: reused for up to a minute. */
  asOf: string;
  /** Every key's answers per hour and outcome over the window, zero-filled. */
  perHour: UsageSeries;
  /** The keys with the most answers in the window. */
  topKeys: KeyTraffic[];
  /** The keys refused most in the window: a refused key that keeps trying is often a leak or a forgotten deployment. */
  topRefused: KeyTraffic[];
  unused: {
    days: number;
    items: UnusedKey[];
    /** Pass as `unusedAfter` for more; null when the list is complete. */
    next: string | null;
    /** Keys looked at for this page (at most UNUSED_SCAN_LIMIT). */
    scanned: number;
  };
}

/**
 * The chart and both top lists from ONE pass over the window's counters (the hour index): grouping
 * sets sum per (hour, outcome) and per key at once; the ranking happens on the per-key sums.
 */
async function traffic(from: number, to: number, top: number, now: Date): Promise<{ perHour: UsageSeries; topKeys: KeyTraffic[]; topRefused: KeyTraffic[] }> {
  const rows = await prisma.$queryRaw<{ list: "hour" | "traffic" | "refused"; bucket: Date | null; outcome: UsageOutcome | null; keyId: string | null; n: number }[]>`
    WITH agg AS MATERIALIZED (
      SELECT hour, outcome, "keyId", sum(count)::float8 AS n,
             COALESCE(sum(count) FILTER (WHERE outcome <> 'VALID'), 0)::float8 AS refused,
             GROUPING("keyId") AS by_hour
      FROM "KeyUsageHour" WHERE hour >= ${new Date(from)} AND hour < ${new Date(to)}
      GROUP BY GROUPING SETS ((hour, outcome), ("keyId"))
    )
    SELECT 'hour' AS list, hour AS bucket, outcome::text AS outcome, NULL AS "keyId", n FROM agg WHERE by_hour = 1
    UNION ALL
    (SELECT 'traffic', NULL, NULL, "keyId", n FROM agg WHERE by_hour = 0 ORDER BY n DESC, "keyId" LIMIT ${top})
    UNION ALL
    (SELECT 'refused', NULL, NULL, "keyId", refused FROM agg WHERE by_hour = 0 AND refused > 0 ORDER BY refused DESC, "keyId" LIMIT ${top})`;
  const counted: CountRow[] = rows.filter((r) => r.list === "hour").map((r) => ({ bucket: r.bucket!.getTime(), outcome: r.outcome!, count: r.n }));
  const perHour = fillSeries(counted, from, to, "hour");
  const ranked = rows.filter((r): r is typeof r & { list: "traffic" | "refused"; keyId: string } => r.list !== "hour" && r.keyId !== null);
  const ids = [...new Set(ranked.map((r) => r.keyId))];
  if (ids.length === 0) return { perHour, topKeys: [], topRefused: [] };
  // The listed keys' counts per outcome (at most 2 × top keys, each an index range) and their rows.
  const [counts, keys] = await Promise.all([
    prisma.$queryRaw<{ keyId: string; outcome: UsageOutcome; n: number }[]>`
      SELECT "keyId", outcome::text AS outcome, sum(count)::float8 AS n
      FROM "KeyUsageHour" WHERE "keyId" = ANY(${ids}::text[]) AND hour >= ${new Date(from)} AND hour < ${new Date(to)}
      GROUP BY 1, 2`,
    prisma.apiKey.findMany({ where: { id: { in: ids } }, select: KEY_VIEW_SELECT }),
  ]);
  const byKey = new Map<string, OutcomeCounts>(ids.map((id) => [id, zeroCounts()]));
  for (const c of counts) byKey.get(c.keyId)![c.outcome] += c.n;
  const views = new Map(keys.map((k) => [k.id, toKeyView(k, now)]));
  const entry = (keyId: string): KeyTraffic[] => {
    const key = views.get(keyId);
    // A key purged between the two queries (its counters go with it) is left out.
    if (!key) return [];
    const perOutcome = byKey.get(keyId)!;
    const total = Object.values(perOutcome).reduce((a, b) => a + b, 0);
    return [{ key, total, valid: perOutcome.VALID, refused: total - perOutcome.VALID, counts: perOutcome }];
  };
  return {
    perHour,
    topKeys: ranked.filter((r) => r.list === "traffic").flatMap((r) => entry(r.keyId)),
    topRefused: ranked.filter((r) => r.list === "refused").flatMap((r) => entry(r.keyId)),
  };
}

/**
 * Working keys (not blacklisted, not expired, not past a grace period) whose last successful use,
 * or creation when never used, is `days` or more ago: oldest keys first, a page at a time, along
 * the createdAt index with at most UNUSED_SCAN_LIMIT keys looked at per page.
 */
async function unusedKeys(days: number, after: string | undefined, pageSize: number, now: Date): Promise<AdminUsage["unused"]> {
  const cutoff = new Date(now.getTime() - days * DAY_MS);
  const match = after ? CURSOR.exec(after) : null;
  const afterAt = new Date(match ? Number(match[1]) : 0);
  const afterId = match ? match[2]! : "";
  const rows = await prisma.$queryRaw<{ scanned: number; lastAt: Date | null; lastId: string | null; id: string | null; at: Date | null }[]>`
    WITH walked AS MATERIALIZED (
      SELECT k.id, k."createdAt" FROM "ApiKey" k
      WHERE k."createdAt" < ${cutoff} AND k."createdAt" >= ${afterAt} AND (k."createdAt" > ${afterAt} OR k.id > ${afterId})
      ORDER BY k."createdAt", k.id
      LIMIT ${UNUSED_SCAN_LIMIT}
    ),
    edge AS (
      SELECT (SELECT count(*) FROM walked)::int AS scanned, w."createdAt" AS "lastAt", w.id AS "lastId"
      FROM (SELECT 1) one LEFT JOIN LATERAL (SELECT * FROM walked ORDER BY "createdAt" DESC, id DESC LIMIT 1) w ON true
    ),
    found AS (
      SELECT w.id, w."createdAt" AS at FROM walked w JOIN "ApiKey" k ON k.id = w.id
      WHERE (k."lastUsedAt" IS NULL OR k."lastUsedAt" < ${cutoff})
        AND (k."expiresAt" IS NULL OR k."expiresAt" > ${now})
        AND (k."graceEndsAt" IS NULL OR k."graceEndsAt" > ${now})
        AND NOT EXISTS (SELECT 1 FROM "BlacklistedKey" b WHERE b."keyId" = k.id)
      ORDER BY w."createdAt", w.id
      LIMIT ${pageSize + 1}
    )
    SELECT e.scanned, e."lastAt", e."lastId", f.id, f.at FROM edge e LEFT JOIN found f ON true
    ORDER BY f.at, f.id`;
  const edge = rows[0]!;
  const found = rows.filter((r): r is typeof r & { id: string; at: Date } => r.id !== null);
  const page = found.slice(0, pageSize);
  const cursorOf = (at: Date, id: string) => `${at.getTime()}.${id}`;
  let next: string | null = null;
  if (found.length > pageSize) next = cursorOf(page.at(-1)!.at, page.at(-1)!.id);
  else if (edge.scanned >= UNUSED_SCAN_LIMIT && edge.lastAt && edge.lastId) next = cursorOf(edge.lastAt, edge.lastId);
  const keys = page.length ? await prisma.apiKey.findMany({ where: { id: { in: page.map((r) => r.id) } }, select: KEY_VIEW_SELECT }) : [];
  const byId = new Map(keys.map((k) => [k.id, k]));
  const items = page.flatMap((r) => {
    const row = byId.get(r.id);
    if (!row) return [];
    const since = (row.lastUsedAt ?? row.createdAt).getTime();
    return [{ key: toKeyView(row, now), idleDays: Math.floor((now.getTime() - since) / DAY_MS) }];
  });
  return { days, items, next, scanned: edge.scanned };
}

/**
 * The traffic part of the overview (chart and top lists) sums every counter of the window, which
 * grows with the keys in use (about a second for 50,000 keys used every hour over 48 hours). When
 * it took longer than TRAFFIC_SLOW_MS, it is reused for TRAFFIC_TTL_MS: an overview a minute old
 * says the same thing, and `asOf` tells the reader. Smaller sites always count afresh.
 */
export const TRAFFIC_TTL_MS = 60_000;
export const TRAFFIC_SLOW_MS = 250;
const reusedTraffic = new ReusedResult<Awaited<ReturnType<typeof traffic>> & { asOf: string }>(TRAFFIC_TTL_MS, 16, TRAFFIC_SLOW_MS);

/** The site's usage at a glance (site admins): traffic per hour, top and refused keys, unused keys. */
export async function adminUsageOverview(query: TAdminUsageQuery, now = new Date()): Promise<AdminUsage> {
  const to = floorToBucket(now.getTime(), "hour") + HOUR_MS;
  const from = to - query.hours * HOUR_MS;
  const counting = reusedTraffic.get(`${from}:${to}:${query.top}`, async () => ({ ...(await traffic(from, to, query.top, now)), asOf: now.toISOString() }));
  const [counted, unused] = await Promise.all([counting, unusedKeys(query.unusedDays, query.unusedAfter, query.pageSize, now)]);
  return { hours: query.hours, ...counted, unused };
}
