// The time range a usage query asks for, validated and bounded: a chart's cost grows with its
// buckets, so an hourly range is at most 90 days (2,160 points) and a daily one 400 days.
import { z } from "zod";
import { KeywardError } from "@/lib/errors";
import { BUCKET_MS, bucketCount, DAY_MS, floorToBucket, GRANULARITIES, type Granularity } from "./usage-buckets";

export const MAX_BUCKETS: Record<Granularity, number> = { hour: 90 * 24, day: 400 };
/** Without `from`: the 30 days (by day) or 48 hours (by hour) that end with the bucket `to` falls in. */
export const DEFAULT_BUCKETS: Record<Granularity, number> = { hour: 48, day: 30 };

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const zInstant = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);

export const ZKeyUsageQuery = z
  .strictObject({
    from: zInstant
      .optional()
      .describe(
        "Start (inclusive; rounded down to its bucket). A date means its start (UTC). Default: `to` minus 30 days (day) or 48 hours (hour)",
      ),
    to: zInstant
      .optional()
      .describe(
        "End (exclusive; the bucket it falls in is included). A date includes that whole day (UTC). Default: now",
      ),
    granularity: z
      .enum(GRANULARITIES)
      .default("day")
      .describe("Bucket size: hour (at most 90 days) or day (at most 400 days)"),
  })
  .refine((q) => q.from === undefined || q.to === undefined || instantOf(q.from, "from") < instantOf(q.to, "to"), {
    message: "`from` must be before `to`",
    path: ["to"],
  });
export type TKeyUsageQuery = z.output<typeof ZKeyUsageQuery>;

export interface UsageRange {
  from: number;
  to: number;
  granularity: Granularity;
}

/** A date-only `to` includes its day: it ends at the next midnight (UTC). */
function instantOf(value: string, side: "from" | "to"): number {
  const ms = Date.parse(value);
  return side === "to" && DATE_ONLY.test(value) ? ms + DAY_MS : ms;
}

/**
 * The range a query names, defaults applied at `now`, with both ends on bucket boundaries
 * (every bucket the range overlaps is in); 422 when it spans more buckets than its granularity
 * allows.
 */
export function resolveUsageRange(query: TKeyUsageQuery, now: number): UsageRange {
  const granularity = query.granularity;
  const to = query.to === undefined ? now : instantOf(query.to, "to");
  const from =
    query.from === undefined
      ? floorToBucket(to - 1, granularity) - (DEFAULT_BUCKETS[granularity] - 1) * BUCKET_MS[granularity]
      : instantOf(query.from, "from");
  if (from >= to)
    throw new KeywardError("UNPROCESSABLE", "`from` must be before `to`.", [
      { path: "from", message: "Must be before `to` (default: now)" },
    ]);
  const buckets = bucketCount(from, to, granularity);
  if (buckets > MAX_BUCKETS[granularity]) {
    const limit = granularity === "hour" ? "90 days by hour" : "400 days by day";
    throw new KeywardError("UNPROCESSABLE", `The range is too long: at most ${limit}.`, [
      { path: "from", message: `At most ${MAX_BUCKETS[granularity]} ${granularity}s before \`to\`` },
    ]);
  }
  return {
    from: floorToBucket(from, granularity),
    to: floorToBucket(from, granularity) + buckets * BUCKET_MS[granularity],
    granularity,
  };
}
