import { describe, expect, it } from "vitest";
import { bucketCount, DAY_MS, fillSeries, fillSparkline, floorToBucket } from "./usage-buckets";
import { HOUR_MS } from "@/lib/usage/usage-outcomes";

const T = Date.UTC(2026, 10, 29, 10, 30); // 2026-11-29 10:30 UTC

describe("usage buckets", () => {
  it("align to UTC hours and days", () => {
    expect(new Date(floorToBucket(T, "hour")).toISOString()).toBe("2026-11-29T10:00:00.000Z");
    expect(new Date(floorToBucket(T, "day")).toISOString()).toBe("2026-11-29T00:00:00.000Z");
    // Every bucket the range overlaps: 10:30 to 12:00 touches 10:00 and 11:00.
    expect(bucketCount(T, Date.UTC(2026, 10, 29, 12), "hour")).toBe(2);
    expect(bucketCount(T, T + 1, "day")).toBe(1);
    expect(bucketCount(T, T, "day")).toBe(0);
  });

  it("zero-fill every bucket and add rows into theirs, with totals that equal what is drawn", () => {
    const from = Date.UTC(2026, 10, 27);
    const to = Date.UTC(2026, 10, 30);
    const series = fillSeries(
      [
        { bucket: Date.UTC(2026, 10, 27), outcome: "VALID", count: 3 },
        { bucket: Date.UTC(2026, 10, 29), outcome: "VALID", count: 2 },
        { bucket: Date.UTC(2026, 10, 29), outcome: "RATE_LIMITED", count: 5 },
        // An hour inside a day bucket lands in that day.
        { bucket: Date.UTC(2026, 10, 29, 23), outcome: "EXPIRED", count: 1 },
        // Outside the range: not drawn, not counted.
        { bucket: Date.UTC(2026, 10, 30), outcome: "VALID", count: 100 },
      ],
      from,
      to,
      "day",
    );
    expect(series.buckets.map((b) => [b.start.slice(0, 10), b.total])).toEqual([
      ["2026-11-27", 3],
      ["2026-11-28", 0],
      ["2026-11-29", 8],
    ]);
    expect(series.buckets[1]!.counts).toEqual({
      VALID: 0,
      EXPIRED: 0,
      REVOKED: 0,
      RATE_LIMITED: 0,
      IP_REQUIRED: 0,
      IP_NOT_ALLOWED: 0,
      INSUFFICIENT_SCOPE: 0,
      USAGE_EXCEEDED: 0,
    });
    expect(series.buckets[2]!.counts).toMatchObject({ VALID: 2, RATE_LIMITED: 5, EXPIRED: 1 });
    expect(series.totals).toMatchObject({ all: 11, refused: 6, VALID: 5, RATE_LIMITED: 5, EXPIRED: 1 });
    expect(series.from).toBe("2026-11-27T00:00:00.000Z");
    expect(series.to).toBe("2026-11-30T00:00:00.000Z");
  });

  it("hourly series round an unaligned range out to whole hours", () => {
    const series = fillSeries(
      [{ bucket: floorToBucket(T, "hour"), outcome: "IP_NOT_ALLOWED", count: 4 }],
      T,
      T + 2 * HOUR_MS,
      "hour",
    );
    expect(series.buckets.map((b) => b.start.slice(11, 16))).toEqual(["10:00", "11:00", "12:00"]);
    expect(series.buckets[0]!.counts.IP_NOT_ALLOWED).toBe(4);
    expect(series.totals.refused).toBe(4);
  });

  it("sparklines: the last N days ending today, zero-filled", () => {
    const days = fillSparkline(
      [
        { day: Date.UTC(2026, 10, 29), valid: 7, refused: 1 },
        { day: Date.UTC(2026, 10, 16), valid: 2, refused: 0 },
        // 14 days back from the 29th is the 16th; the 15th is outside.
        { day: Date.UTC(2026, 10, 15), valid: 99, refused: 99 },
      ],
      T,
      14,
    );
    expect(days).toHaveLength(14);
    expect(days[0]).toEqual({ day: "2026-11-16", valid: 2, refused: 0 });
    expect(days[13]).toEqual({ day: "2026-11-29", valid: 7, refused: 1 });
    expect(days.slice(1, 13).every((d) => d.valid === 0 && d.refused === 0)).toBe(true);
    expect(days.reduce((s, d) => s + d.valid, 0)).toBe(9);
  });

  it("a day is 24 hours (UTC has no daylight saving)", () => {
    expect(DAY_MS).toBe(24 * HOUR_MS);
  });
});
