import { describe, expect, it } from "vitest";
import { parseExpiry, parseSpan } from "./durations";
import { UsageError } from "./exit-codes";

describe("the CLI's spans and expiries", () => {
  it("reads spans in days or hours", () => {
    expect(parseSpan("7d", "--x")).toBe(7 * 86_400_000);
    expect(parseSpan("36h", "--x")).toBe(36 * 3_600_000);
    for (const bad of ["7", "1w", "-1d", "d", "7 days"]) expect(() => parseSpan(bad, "--x"), bad).toThrow(UsageError);
  });

  it("reads an expiry as days, a date or never, in the API's shape", () => {
    expect(parseExpiry("30d")).toEqual({ type: "days", days: 30 });
    expect(parseExpiry("2027-01-31")).toEqual({ type: "date", date: "2027-01-31" });
    expect(parseExpiry("never")).toEqual({ type: "never" });
    for (const bad of ["30", "2027-13-45", "tomorrow"]) expect(() => parseExpiry(bad), bad).toThrow(UsageError);
  });
});
