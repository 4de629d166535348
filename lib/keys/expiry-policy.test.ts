import { describe, expect, it } from "vitest";
import { KeywardError } from "@/lib/errors";
import { resolveExpiry, ZExpiry } from "./expiry-policy";

const now = new Date("2026-11-29T12:00:00.000Z");
const rules = { maxLifetimeDays: 365, allowNeverExpires: false };

describe("expiry policy", () => {
  it("turns a preset into a date", () => {
    expect(resolveExpiry({ type: "days", days: 30 }, now, rules)?.toISOString()).toBe("2026-12-29T12:00:00.000Z");
  });

  it("reads a bare date as the end of that day in UTC", () => {
    expect(resolveExpiry({ type: "date", date: "2026-12-05" }, now, rules)?.toISOString()).toBe(
      "2026-12-05T23:59:59.999Z",
    );
  });

  it("refuses never unless allowed", () => {
    expect(() => resolveExpiry({ type: "never" }, now, rules)).toThrow(KeywardError);
    expect(resolveExpiry({ type: "never" }, now, { ...rules, allowNeverExpires: true })).toBeNull();
  });

  it("refuses past dates and dates beyond the maximum lifetime", () => {
    expect(() => resolveExpiry({ type: "date", date: "2026-11-29T11:59:59Z" }, now, rules)).toThrow(/future/);
    expect(() => resolveExpiry({ type: "date", date: "2028-01-01" }, now, rules)).toThrow(/365 days/);
    expect(() => resolveExpiry({ type: "days", days: 90 }, now, { ...rules, maxLifetimeDays: 60 })).toThrow(/60/);
  });

  it("accepts only the presets", () => {
    expect(ZExpiry.safeParse({ type: "days", days: 45 }).success).toBe(false);
    expect(ZExpiry.safeParse({ type: "days", days: 7 }).success).toBe(true);
  });
});
