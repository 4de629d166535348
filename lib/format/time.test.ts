import { describe, expect, it } from "vitest";
import { formatExact, formatRelative } from "./time";

const now = new Date("2026-11-29T12:00:00.000Z");

describe("time formatting", () => {
  it("says how far away an instant is, in the largest sensible unit", () => {
    expect(formatRelative("2026-12-02T12:00:00.000Z", now)).toBe("in 3 days");
    expect(formatRelative("2026-11-29T10:00:00.000Z", now)).toBe("2 hours ago");
    expect(formatRelative("2026-11-30T12:00:00.000Z", now)).toBe("tomorrow");
    expect(formatRelative("2026-11-29T12:00:20.000Z", now)).toBe("in less than a minute");
  });

  it("prints the exact instant in UTC", () => {
    expect(formatExact("2026-12-05T14:00:00.000Z")).toBe("5 Dec 2026, 14:00 UTC");
  });
});
