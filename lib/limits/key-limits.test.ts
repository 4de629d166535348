import { describe, expect, it } from "vitest";
import {
  describeLimits,
  hasLimits,
  limitColumns,
  limitsView,
  MAX_ALLOWED_CIDRS,
  namesAnyLimit,
  sameLimits,
  ZKeyLimits,
} from "./key-limits";

describe("key limits", () => {
  it("normalizes and de-duplicates addresses, and converts to columns and back", () => {
    const limits = ZKeyLimits.parse({
      rateLimit: { limit: 100, window: "minute" },
      allowedIps: ["10.1.2.3/8", "10.0.0.0/8", "2001:DB8::1"],
      usageCap: 5000,
    });
    expect(limits.allowedIps).toEqual(["10.0.0.0/8", "2001:db8::1/128"]);
    const columns = limitColumns(limits);
    expect(columns).toEqual({
      rateLimitMax: 100,
      rateLimitWindowSeconds: 60,
      allowedCidrs: ["10.0.0.0/8", "2001:db8::1/128"],
      usageCap: 5000n,
    });
    expect(limitsView(columns as Required<typeof columns>)).toEqual({
      rateLimit: { limit: 100, window: "minute" },
      allowedIps: ["10.0.0.0/8", "2001:db8::1/128"],
      usageCap: 5000,
    });
  });

  it("leaves out what was not sent, and clears what was sent as null", () => {
    expect(limitColumns(ZKeyLimits.parse({}))).toEqual({});
    expect(limitColumns(ZKeyLimits.parse({ rateLimit: null, usageCap: null, allowedIps: [] }))).toEqual({
      rateLimitMax: null,
      rateLimitWindowSeconds: null,
      allowedCidrs: [],
      usageCap: null,
    });
  });

  it.each([
    [{ rateLimit: { limit: 0, window: "minute" } }],
    [{ rateLimit: { limit: 1.5, window: "minute" } }],
    [{ rateLimit: { limit: 10, window: "week" } }],
    [{ rateLimit: { limit: 10 } }],
    [{ rateLimit: { limit: 10, window: "minute", burst: 1 } }],
    [{ allowedIps: ["10.0.0.0/33"] }],
    [{ allowedIps: ["example.com"] }],
    [{ allowedIps: ["10.0.0.1\u0000"] }],
    [{ allowedIps: Array.from({ length: MAX_ALLOWED_CIDRS + 1 }, (_, i) => `10.0.${Math.floor(i / 256)}.${i % 256}`) }],
    [{ usageCap: 0 }],
    [{ usageCap: -1 }],
    [{ usageCap: "100" }],
    [{ extra: true }],
  ])("refuses %j", (input) => expect(ZKeyLimits.safeParse(input).success).toBe(false));
});

describe("limits for people", () => {
  const none = { rateLimit: null, allowedIps: [], usageCap: null };
  it("describes each limit, and none", () => {
    expect(describeLimits(none)).toBe("no limits");
    expect(
      describeLimits({ rateLimit: { limit: 1000, window: "hour" }, allowedIps: ["10.0.0.0/8"], usageCap: 1 }),
    ).toBe("1,000 per hour, only from 10.0.0.0/8, cap 1 use");
    expect(describeLimits({ rateLimit: null, allowedIps: ["10.0.0.0/8", "::1/128"], usageCap: 5000 })).toBe(
      "2 allowed networks, cap 5,000 uses",
    );
  });

  it("tells a change from none", () => {
    const some = { rateLimit: { limit: 5, window: "minute" as const }, allowedIps: ["10.0.0.0/8"], usageCap: 3 };
    expect(hasLimits(none)).toBe(false);
    expect(hasLimits(some)).toBe(true);
    expect(sameLimits(some, { ...some, allowedIps: ["10.0.0.0/8"] })).toBe(true);
    expect(sameLimits(some, { ...some, rateLimit: { limit: 5, window: "hour" } })).toBe(false);
    expect(sameLimits(some, { ...some, allowedIps: [] })).toBe(false);
    expect(sameLimits(some, { ...some, usageCap: null })).toBe(false);
    expect(namesAnyLimit(ZKeyLimits.parse({}))).toBe(false);
    expect(namesAnyLimit(ZKeyLimits.parse({ usageCap: null }))).toBe(true);
  });
});
