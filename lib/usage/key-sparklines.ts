import "server-only";
import { prisma } from "@/lib/db/client";
import { KeywardError } from "@/lib/errors";
import { DAY_MS, fillSparkline, floorToBucket, type SparkDay } from "./usage-buckets";

export const SPARKLINE_DAYS = 14;
/** Keys per call: a page of My keys is at most 100; more would be a different question. */
export const SPARKLINE_MAX_KEYS = 200;

/**
 * The last 14 days (UTC, today included) of answers for a page of keys, VALID and refused, in ONE
 * query: a page of rows costs one round trip, however many keys it shows. Each key's counters are
 * an index range (keyId, hour), so the cost follows the page, not the table.
 */
export async function keySparklines(keyIds: readonly string[], now = Date.now()): Promise<Record<string, SparkDay[]>> {
  if (keyIds.length > SPARKLINE_MAX_KEYS)
    throw new KeywardError("UNPROCESSABLE", `At most ${SPARKLINE_MAX_KEYS} keys per sparkline query.`);
  const out: Record<string, SparkDay[]> = {};
  if (keyIds.length === 0) return out;
  const from = floorToBucket(now, "day") - (SPARKLINE_DAYS - 1) * DAY_MS;
  const to = floorToBucket(now, "day") + DAY_MS;
  const rows = await prisma.$queryRaw<{ keyId: string; day: Date; valid: number; refused: number }[]>`
    SELECT "keyId", date_trunc('day', hour, 'UTC') AS day,
           COALESCE(sum(count) FILTER (WHERE outcome = 'VALID'), 0)::float8 AS valid,
           COALESCE(sum(count) FILTER (WHERE outcome <> 'VALID'), 0)::float8 AS refused
    FROM "KeyUsageHour"
    WHERE "keyId" = ANY(${[...keyIds]}::text[]) AND hour >= ${new Date(from)} AND hour < ${new Date(to)}
    GROUP BY 1, 2`;
  const byKey = new Map<string, { day: number; valid: number; refused: number }[]>();
  for (const r of rows) {
    let list = byKey.get(r.keyId);
    if (!list) byKey.set(r.keyId, (list = []));
    list.push({ day: r.day.getTime(), valid: r.valid, refused: r.refused });
  }
  for (const id of keyIds) out[id] = fillSparkline(byKey.get(id) ?? [], now, SPARKLINE_DAYS);
  return out;
}
