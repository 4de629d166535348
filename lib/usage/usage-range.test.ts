import { describe, expect, it } from "vitest";
import { KeywardError } from "@/lib/errors";
import { resolveUsageRange, ZKeyUsageQuery } from "./usage-range";

const NOW = Date.UTC(2026, 10, 29, 10, 30);
const iso = (ms: number) => new Date(ms).toISOString();
const resolve = (q: Record<string, string>) => resolveUsageRange(ZKeyUsageQuery.parse(q), NOW);

describe("usage ranges", () => {
  it("default to the last 30 days by day and the last 48 hours by hour, ending with the current bucket", () => {
    const day = resolve({});
    expect(day.granularity).toBe("day");
    expect(iso(day.from)).toBe("2026-10-31T00:00:00.000Z");
    expect(iso(day.to)).toBe("2026-11-30T00:00:00.000Z");
    const hour = resolve({ granularity: "hour" });
    expect(iso(hour.from)).toBe("2026-11-27T11:00:00.000Z");
    expect(iso(hour.to)).toBe("2026-11-29T11:00:00.000Z");
    expect((hour.to - hour.from) / 3_600_000).toBe(48);
  });

  it("take dates as whole UTC days (a date-only `to` includes its day) and offsets as instants", () => {
    const r = resolve({ from: "2026-11-01", to: "2026-11-03" });
    expect([iso(r.from), iso(r.to)]).toEqual(["2026-11-01T00:00:00.000Z", "2026-11-04T00:00:00.000Z"]);
    const h = resolve({ from: "2026-11-29T10:15:00+02:00", to: "2026-11-29T09:00:00Z", granularity: "hour" });
    expect([iso(h.from), iso(h.to)]).toEqual(["2026-11-29T08:00:00.000Z", "2026-11-29T09:00:00.000Z"]);
  });

  it("refuse garbage, reversed ranges and unknown parameters (422 through zod)", () => {
    for (const q of [
      { from: "yesterday" },
      { to: "2026-13-01" },
      { granularity: "minute" },
      { from: "2026-11-02", to: "2026-11-01" },
      { other: "x" },
      { from: "2026-11-01T10:00:00Z", to: "2026-11-01T10:00:00Z" },
    ]) {
      expect(ZKeyUsageQuery.safeParse(q).success, JSON.stringify(q)).toBe(false);
    }
  });

  it("bound the buckets: 90 days by hour, 400 by day", () => {
    expect(resolve({ from: "2026-09-01", to: "2026-11-29", granularity: "hour" }).granularity).toBe("hour");
    const tooLong = (q: Record<string, string>) => {
      try {
        resolve(q);
        return null;
      } catch (error) {
        return error;
      }
    };
    const hourly = tooLong({ from: "2026-08-01", to: "2026-11-29", granularity: "hour" });
    expect(hourly).toBeInstanceOf(KeywardError);
    expect((hourly as KeywardError).status).toBe(422);
    expect(resolve({ from: "2025-11-01", to: "2026-11-29" }).granularity).toBe("day");
    expect((tooLong({ from: "2025-01-01", to: "2026-11-29" }) as KeywardError).status).toBe(422);
    // Only `from`, far back: `to` defaults to now, and the span is checked all the same.
    expect((tooLong({ from: "0001-01-01" }) as KeywardError).status).toBe(422);
    // Only `to`, before the default span would start: fine, a past window.
    expect(iso(resolve({ to: "2020-01-01" }).to)).toBe("2020-01-02T00:00:00.000Z");
  });
});
