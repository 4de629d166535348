import "server-only";
import { z } from "zod";
import { Prisma, prisma } from "@/lib/db/client";
import { KEY_VIEW_SELECT, toKeyView, type KeyView } from "@/lib/keys/read/key-view";
import {
  DAY_MS,
  fillSeries,
  floorToBucket,
  zeroCounts,
  type CountRow,
  type OutcomeCounts,
  type UsageSeries,
} from "./usage-buckets";
import { topTraffic } from "./top-traffic";
import { HOUR_MS, type UsageOutcome } from "@/lib/usage/usage-outcomes";

/** Where the unused-keys list goes on: the last key looked at, as `<createdAt epoch ms>.<id>`. */
const CURSOR = /^(\d{1,15})\.([0-9a-f-]{36})$/;

export const ZAdminUsageQuery = z.strictObject({
  hours: z.coerce
    .number()
    .int()
    .min(1)
    .max(168)
    .default(48)
    .describe(
      "The traffic window: the chart's hours and the top lists' span, ending with the current hour (at most 7 days)",
    ),
  top: z.coerce.number().int().min(1).max(50).default(10).describe("Entries in each top list"),
  unusedDays: z.coerce
    .number()
    .int()
    .min(1)
    .max(3650)
    .default(30)
    .describe(
      "A working key not used successfully for this many days is listed as unused (a never-used key counts from its creation)",
    ),
  unusedAfter: z
    .string()
    .regex(CURSOR, "A cursor from `unused.next`")
    .optional()
    .describe("Continue the unused list after this cursor (`unused.next`)"),
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
  /** When the traffic figures (chart, top lists) were counted. */
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
 * The chart from the site-wide sums (a row per hour and outcome), and both top lists, exact, from
 * the head of each hour's keys (top-traffic.ts): none of it reads every key's counters.
 */
async function traffic(
  from: number,
  to: number,
  top: number,
  now: Date,
): Promise<{ perHour: UsageSeries; topKeys: KeyTraffic[]; topRefused: KeyTraffic[] }> {
  const window = { from: new Date(from), to: new Date(to) };
  const [hourRows, topByTraffic, topByRefused] = await Promise.all([
    prisma.$queryRaw<{ hour: Date; outcome: UsageOutcome; n: number }[]>`
      SELECT hour, outcome::text AS outcome, count::float8 AS n FROM "UsageSumHour"
      WHERE "ownerId" = '' AND hour >= ${window.from} AND hour < ${window.to}`,
    topTraffic(window, top, "answers"),
    topTraffic(window, top, "refused"),
  ]);
  const counted: CountRow[] = hourRows.map((r) => ({ bucket: r.hour.getTime(), outcome: r.outcome, count: r.n }));
  const perHour = fillSeries(counted, from, to, "hour");
  const ids = [...new Set([...topByTraffic, ...topByRefused].map((r) => r.keyId))];
  if (ids.length === 0) return { perHour, topKeys: [], topRefused: [] };
  // The listed keys' counts per outcome (at most 2 × top keys, each an index range) and their rows.
  const [counts, keys] = await Promise.all([
    prisma.$queryRaw<{ keyId: string; outcome: UsageOutcome; n: number }[]>`
      SELECT "keyId", outcome::text AS outcome, sum(count)::float8 AS n
      FROM "KeyUsageHour" WHERE "keyId" = ANY(${ids}::text[]) AND hour >= ${window.from} AND hour < ${window.to}
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
    topKeys: topByTraffic.flatMap((r) => entry(r.keyId)),
    topRefused: topByRefused.flatMap((r) => entry(r.keyId)),
  };
}

/**
 * Working keys (not blacklisted, not expired, not past a grace period) whose last successful use,
 * or creation when never used, is `days` or more ago: oldest keys first, a page at a time, along
 * the createdAt index with at most UNUSED_SCAN_LIMIT keys looked at per page.
 */
async function unusedKeys(
  days: number,
  after: string | undefined,
  pageSize: number,
  now: Date,
): Promise<AdminUsage["unused"]> {
  const cutoff = new Date(now.getTime() - days * DAY_MS);
  const match = after ? CURSOR.exec(after) : null;
  const afterAt = new Date(match ? Number(match[1]) : 0);
  const afterId = match ? match[2]! : "";
  // The walk, numbered: a view of the keys in order, read only as far as its reader asks.
  const walk = Prisma.sql`
    SELECT k.id, k."createdAt", k."lastUsedAt", k."expiresAt", k."graceEndsAt",
           row_number() OVER (ORDER BY k."createdAt", k.id)::int AS pos
    FROM "ApiKey" k
    WHERE k."createdAt" < ${cutoff} AND k."createdAt" >= ${afterAt} AND (k."createdAt" > ${afterAt} OR k.id > ${afterId})
      AND k.kind = 'KEY'
    ORDER BY k."createdAt", k.id
    LIMIT ${UNUSED_SCAN_LIMIT}`;
  // Filtered as it goes, so the walk stops at the page's last key: the blacklist is asked per key
  // (a subquery the planner keeps in the walk's order), not joined, which would read the walk whole.
  const found = await prisma.$queryRaw<{ id: string; at: Date; pos: number }[]>`
    SELECT w.id, w."createdAt" AS at, w.pos FROM (${walk}) w
    WHERE (w."lastUsedAt" IS NULL OR w."lastUsedAt" < ${cutoff})
      AND (w."expiresAt" IS NULL OR w."expiresAt" > ${now})
      AND (w."graceEndsAt" IS NULL OR w."graceEndsAt" > ${now})
      AND (SELECT true FROM "BlacklistedKey" b WHERE b."keyId" = w.id) IS NULL
    ORDER BY w."createdAt", w.id
    LIMIT ${pageSize + 1}`;
  const page = found.slice(0, pageSize);
  const cursorOf = (at: Date, id: string) => `${at.getTime()}.${id}`;
  let next: string | null = null;
  let scanned: number;
  if (found.length > pageSize) {
    next = cursorOf(page.at(-1)!.at, page.at(-1)!.id);
    scanned = page.at(-1)!.pos;
  } else {
    // The page is not full: the walk went to its end, or to its limit, where the next page goes on.
    const [last] = await prisma.$queryRaw<{ id: string; at: Date; pos: number }[]>`
      SELECT w.id, w."createdAt" AS at, w.pos FROM (${walk}) w ORDER BY w.pos DESC LIMIT 1`;
    scanned = last?.pos ?? 0;
    if (last && scanned >= UNUSED_SCAN_LIMIT) next = cursorOf(last.at, last.id);
  }
  const keys = page.length
    ? await prisma.apiKey.findMany({ where: { id: { in: page.map((r) => r.id) } }, select: KEY_VIEW_SELECT })
    : [];
  const byId = new Map(keys.map((k) => [k.id, k]));
  const items = page.flatMap((r) => {
    const row = byId.get(r.id);
    if (!row) return [];
    const since = (row.lastUsedAt ?? row.createdAt).getTime();
    return [{ key: toKeyView(row, now), idleDays: Math.floor((now.getTime() - since) / DAY_MS) }];
  });
  return { days, items, next, scanned };
}

/** The site's usage at a glance (site admins): traffic per hour, top and refused keys, unused keys. */
export async function adminUsageOverview(query: TAdminUsageQuery, now = new Date()): Promise<AdminUsage> {
  const to = floorToBucket(now.getTime(), "hour") + HOUR_MS;
  const from = to - query.hours * HOUR_MS;
  const [counted, unused] = await Promise.all([
    traffic(from, to, query.top, now),
    unusedKeys(query.unusedDays, query.unusedAfter, query.pageSize, now),
  ]);
  return { hours: query.hours, asOf: now.toISOString(), ...counted, unused };
}
