import "server-only";
import { Prisma, prisma } from "@/lib/db/client";

export interface RankedKey {
  keyId: string;
  /** Its answers in the window, or its refusals when ranking refusals. */
  n: number;
}

/**
 * The `top` keys with the most answers in [from, to), or the most refusals: exact, largest
 * first, ties by id, without summing every key's counters: two passes over the heads of the
 * window's hours (the three-phase uniform threshold of Cao and Wang, in two):
 *
 * Each hour of the window with any answer (m hours, from the site-wide sums) is a list of keys
 * ordered by their answers in that hour, largest first: KeyUsageHourTotal's index. The first pass
 * takes the `top` first keys of every hour and sums each one's window: the `top`-th largest of
 * those sums, T, is a floor under the `top`-th largest of all. A key whose window reaches T has,
 * in at least one of the m hours, T / m or more (else its sum would stay under m × T / m). So the
 * second pass takes, from every hour, the keys with at least T / m there (an index range each),
 * and sums their windows: every key that can rank is among them, ties included. When the first
 * pass finds fewer than `top` keys, no hour had more, and the second takes them all.
 *
 * What it reads follows how many keys come near the `top`-th's hourly average in some hour, not
 * how many keys there are: a site where some keys carry most of the traffic reads a few hundred
 * rows; traffic spread evenly over every key reads them all.
 */
export async function topTraffic(
  window: { from: Date; to: Date },
  top: number,
  by: "answers" | "refused",
): Promise<RankedKey[]> {
  const { from, to } = window;
  const column = Prisma.raw(by === "answers" ? "answers" : "refused");
  const refusals = by === "refused" ? Prisma.sql`AND outcome <> 'VALID'` : Prisma.empty;
  // The keys' window sums, one primary-key range per key (LATERAL: never a join over every key).
  const sumOfWindow = (keys: Prisma.Sql) => Prisma.sql`
    SELECT c."keyId", s.n FROM ${keys} c CROSS JOIN LATERAL (
      SELECT sum(t.${column}) AS n FROM "KeyUsageHourTotal" t
      WHERE t."keyId" = c."keyId" AND t.hour >= ${from} AND t.hour < ${to}
    ) s`;
  const lists = Prisma.sql`
    SELECT DISTINCT hour FROM "UsageSumHour"
    WHERE "ownerId" = '' AND hour >= ${from} AND hour < ${to} AND count > 0 ${refusals}`;
  // First pass: the floor T, and m. Two statements, so that the second is planned knowing T / m.
  const [first] = await prisma.$queryRaw<{ m: number; found: number; floor: number | null }[]>`
    WITH lists AS (${lists}),
    head AS (
      SELECT DISTINCT h."keyId" FROM lists l CROSS JOIN LATERAL (
        SELECT t."keyId" FROM "KeyUsageHourTotal" t
        WHERE t.hour = l.hour AND t.${column} > 0
        ORDER BY t.${column} DESC, t."keyId"
        LIMIT ${top}
      ) h
    ),
    best AS (${sumOfWindow(Prisma.sql`head`)} ORDER BY s.n DESC LIMIT ${top})
    SELECT (SELECT count(*) FROM lists)::int AS m, count(*)::int AS found, min(n)::float8 AS floor FROM best`;
  if (!first || first.found === 0) return [];
  // Every key whose window can reach the floor has floor / m or more in some hour; m + 1, for the
  // current hour's first flush landing between the two statements. When the first pass found
  // fewer than `top` keys, it found every key there is, and 1 takes them all.
  const least = first.found < top ? 1 : Math.max(1, Math.ceil(first.floor! / (first.m + 1)));
  return prisma.$queryRaw<RankedKey[]>`
    WITH lists AS (${lists}),
    near AS (
      SELECT DISTINCT h."keyId" FROM lists l CROSS JOIN LATERAL (
        SELECT t."keyId" FROM "KeyUsageHourTotal" t
        WHERE t.hour = l.hour AND t.${column} >= ${least}::bigint
        OFFSET 0 -- keeps this a per-hour index range, not a join over the whole table
      ) h
    ),
    ranked AS (${sumOfWindow(Prisma.sql`near`)})
    SELECT "keyId", n::float8 AS n FROM ranked ORDER BY n DESC, "keyId" LIMIT ${top}`;
}
