import { describe, expect, it } from "vitest";
import { RateLimiter } from "./rate-limiter";

describe("RateLimiter", () => {
  it("allows up to the limit per client per window, then refuses until the window ends", () => {
    const limiter = new RateLimiter({ limit: 2, windowMs: 1000 });
    expect(limiter.admit("a", 0)).toBeNull();
    expect(limiter.admit("a", 10)).toBeNull();
    expect(limiter.admit("a", 20)).toBe(1); // retry after 1 s
    expect(limiter.admit("b", 20)).toBeNull();
    expect(limiter.admit("a", 1000)).toBeNull();
  });

  it("can refuse without counting (peek) and count without refusing (charge)", () => {
    const limiter = new RateLimiter({ limit: 1, windowMs: 60_000 });
    expect(limiter.exhausted("a", 0)).toBe(false);
    limiter.charge("a", 0);
    expect(limiter.exhausted("a", 0)).toBe(true);
    expect(limiter.retryAfter(30_000)).toBe(30);
  });

  it("treats 0 as unlimited", () => {
    const limiter = new RateLimiter({ limit: 0 });
    for (let i = 0; i < 1000; i++) expect(limiter.admit("a")).toBeNull();
    expect(limiter.size).toBe(0);
  });

  it("holds at most maxClients, forgetting the oldest, however many clients come", () => {
    const limiter = new RateLimiter({ limit: 5, maxClients: 1000 });
    for (let i = 0; i < 50_000; i++) limiter.admit(`client-${i}`, 0);
    expect(limiter.size).toBe(1000);
  });

  it("keys on at most 64 characters of the client, so a huge key costs nothing", () => {
    const limiter = new RateLimiter({ limit: 1 });
    const huge = "x".repeat(15_000);
    expect(limiter.admit(`${huge}a`, 0)).toBeNull();
    expect(limiter.admit(`${huge}b`, 0)).not.toBeNull(); // same first 64 characters: same bucket
  });
});
