// Time buckets for usage charts: pure arithmetic on UTC hours and days, no database. Counters are
// kept per hour (KeyUsageHour), so an hour is the finest bucket and a day is 24 of them. Every
// series is zero-filled: a bucket nobody used is a 0 on the chart, not a gap the line jumps over.
import { HOUR_MS, USAGE_OUTCOMES, type UsageOutcome } from "@/lib/usage/usage-outcomes";

export const DAY_MS = 24 * HOUR_MS;
export const GRANULARITIES = ["hour", "day"] as const;
export type Granularity = (typeof GRANULARITIES)[number];

export const BUCKET_MS: Record<Granularity, number> = { hour: HOUR_MS, day: DAY_MS };

/** Outcomes that refuse a key that exists: everything but VALID. */
export const REFUSAL_OUTCOMES = USAGE_OUTCOMES.filter((o) => o !== "VALID") as Exclude<UsageOutcome, "VALID">[];

export type OutcomeCounts = Record<UsageOutcome, number>;

export interface UsageBucket {
  /** The bucket's start (UTC), ISO 8601. */
  start: string;
  counts: OutcomeCounts;
  /** All answers in the bucket. */
  total: number;
}

export interface UsageSeries {
  granularity: Granularity;
  /** The first bucket's start (inclusive). */
  from: string;
  /** The last bucket's end (exclusive). */
  to: string;
  buckets: UsageBucket[];
  /** Per outcome over the whole range, plus `all` and `refused` (every outcome but VALID). */
  totals: OutcomeCounts & { all: number; refused: number };
}

/** A counted row: a bucket's start (epoch ms, aligned) and an outcome's count. */
export interface CountRow {
  bucket: number;
  outcome: UsageOutcome;
  count: number;
}

export function zeroCounts(): OutcomeCounts {
  return Object.fromEntries(USAGE_OUTCOMES.map((o) => [o, 0])) as OutcomeCounts;
}

/** The start of the bucket `ms` falls in (UTC hours and days have no DST: plain modulo). */
export function floorToBucket(ms: number, granularity: Granularity): number {
  const size = BUCKET_MS[granularity];
  return Math.floor(ms / size) * size;
}

/** The end of the bucket `ms` falls in, unless `ms` is already a bucket boundary. */
export function ceilToBucket(ms: number, granularity: Granularity): number {
  const size = BUCKET_MS[granularity];
  return Math.ceil(ms / size) * size;
}

/** How many buckets cover [from, to): every bucket that overlaps the range. */
export function bucketCount(from: number, to: number, granularity: Granularity): number {
  if (to <= from) return 0;
  return (ceilToBucket(to, granularity) - floorToBucket(from, granularity)) / BUCKET_MS[granularity];
}

/**
 * The zero-filled series over every bucket overlapping [from, to), with the rows added in. Rows
 * outside the buckets are ignored (the query already bounds them; this keeps the totals equal to
 * the sum of what is drawn).
 */
export function fillSeries(rows: readonly CountRow[], from: number, to: number, granularity: Granularity): UsageSeries {
  const size = BUCKET_MS[granularity];
  const first = floorToBucket(from, granularity);
  const n = bucketCount(from, to, granularity);
  const buckets: UsageBucket[] = Array.from({ length: n }, (_, i) => ({
    start: new Date(first + i * size).toISOString(),
    counts: zeroCounts(),
    total: 0,
  }));
  const totals = { ...zeroCounts(), all: 0, refused: 0 };
  for (const row of rows) {
    const index = (floorToBucket(row.bucket, granularity) - first) / size;
    const bucket = buckets[index];
    if (!bucket || row.count === 0) continue;
    bucket.counts[row.outcome] += row.count;
    bucket.total += row.count;
    totals[row.outcome] += row.count;
    totals.all += row.count;
    if (row.outcome !== "VALID") totals.refused += row.count;
  }
  return {
    granularity,
    from: new Date(first).toISOString(),
    to: new Date(first + n * size).toISOString(),
    buckets,
    totals,
  };
}

/** A sparkline's day: answers that were VALID and answers that refused the key. */
export interface SparkDay {
  /** YYYY-MM-DD (UTC). */
  day: string;
  valid: number;
  refused: number;
}

/** `days` zero-filled days ending with the one `now` falls in, with the rows (day starts) added in. */
export function fillSparkline(
  rows: readonly { day: number; valid: number; refused: number }[],
  now: number,
  days: number,
): SparkDay[] {
  const last = floorToBucket(now, "day");
  const first = last - (days - 1) * DAY_MS;
  const out: SparkDay[] = Array.from({ length: days }, (_, i) => ({
    day: new Date(first + i * DAY_MS).toISOString().slice(0, 10),
    valid: 0,
    refused: 0,
  }));
  for (const row of rows) {
    const entry = out[(floorToBucket(row.day, "day") - first) / DAY_MS];
    if (!entry) continue;
    entry.valid += row.valid;
    entry.refused += row.refused;
  }
  return out;
}
