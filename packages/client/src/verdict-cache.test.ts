// The verify cache's promises: VALID answers only, never past the key's expiry or grace end,
// within its TTL and its size bound, and no keys kept in it.
import { describe, expect, it } from "vitest";
import type { ValidVerdict, VerifyResult } from "./types";
import { VerdictCache, verdictCacheId } from "./verdict-cache";

const T0 = Date.parse("2026-12-01T00:00:00.000Z");

function valid(overrides: Partial<ValidVerdict> = {}): ValidVerdict {
  return {
    valid: true,
    code: "VALID",
    keyId: "k1",
    name: "payments",
    ownerId: "u1",
    owner: { type: "user", id: "u1", name: "Ada" },
    scopes: ["read"],
    expiresAt: new Date(T0 + 3_600_000).toISOString(),
    expiresInSeconds: 3600,
    ...overrides,
  };
}

function clock(start = T0) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe("VerdictCache", () => {
  it("answers a VALID verdict again until its TTL, then forgets it", () => {
    const c = clock();
    const cache = new VerdictCache({ ttlMs: 5_000 }, c.now);
    cache.set("a", valid());
    c.advance(4_999);
    expect(cache.get("a")).toMatchObject({ code: "VALID", keyId: "k1" });
    c.advance(1);
    expect(cache.get("a")).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it("never answers VALID past the key's expiresAt, whatever the TTL", () => {
    const c = clock();
    const cache = new VerdictCache({ ttlMs: 60_000 }, c.now);
    cache.set("a", valid({ expiresAt: new Date(T0 + 2_000).toISOString(), expiresInSeconds: 2 }));
    c.advance(1_999);
    expect(cache.get("a")?.valid).toBe(true);
    c.advance(1);
    expect(cache.get("a")).toBeUndefined();
  });

  it("never past a rotated key's grace end either", () => {
    const c = clock();
    const cache = new VerdictCache({ ttlMs: 60_000 }, c.now);
    cache.set("a", valid({ graceEndsAt: new Date(T0 + 1_000).toISOString() }));
    c.advance(1_000);
    expect(cache.get("a")).toBeUndefined();
  });

  it("says how long the key has left at the time of asking, as Keyward would", () => {
    const c = clock();
    const cache = new VerdictCache({ ttlMs: 5_000 }, c.now);
    cache.set("a", valid());
    c.advance(2_500);
    expect(cache.get("a")?.expiresInSeconds).toBe(3597);
    cache.set("never", valid({ expiresAt: null, expiresInSeconds: null }));
    expect(cache.get("never")?.expiresInSeconds).toBeNull();
  });

  it("keeps no refusal, no answer for a rate-limited key (Keyward counts each use) and nothing with TTL 0", () => {
    const c = clock();
    const cache = new VerdictCache({ ttlMs: 5_000 }, c.now);
    const refusals: VerifyResult[] = [
      {
        valid: false,
        code: "REVOKED",
        keyId: "k1",
        reason: "REVOKED",
        revokedAt: new Date(T0).toISOString(),
        renewUrl: "https://k/keys/k1?renew=1",
        message: "revoked",
      },
      { valid: false, code: "NOT_FOUND", message: "no" },
      {
        valid: false,
        code: "RATE_LIMITED",
        keyId: "k1",
        retryAfterSeconds: 3,
        limit: 1,
        remaining: 0,
        resetAt: new Date(T0).toISOString(),
        message: "slow",
      },
    ];
    refusals.forEach((r, i) => cache.set(`r${i}`, r));
    cache.set(
      "limited",
      valid({ ratelimit: { limit: 10, remaining: 9, resetAt: new Date(T0 + 60_000).toISOString() } }),
    );
    cache.set("expired-already", valid({ expiresAt: new Date(T0).toISOString() }));
    expect(cache.size).toBe(0);
    const off = new VerdictCache({ ttlMs: 0 }, c.now);
    off.set("a", valid());
    expect(off.get("a")).toBeUndefined();
  });

  it("holds at most maxEntries, dropping the oldest first, however many keys pass", () => {
    const cache = new VerdictCache({ ttlMs: 60_000, maxEntries: 100 }, clock().now);
    for (let i = 0; i < 10_000; i++) cache.set(`k${i}`, valid({ keyId: `k${i}` }));
    expect(cache.size).toBe(100);
    expect(cache.get("k9899")).toBeUndefined();
    expect(cache.get("k9900")?.keyId).toBe("k9900");
    expect(cache.get("k9999")?.keyId).toBe("k9999");
  });

  it("refuses nonsense bounds", () => {
    expect(() => new VerdictCache({ ttlMs: -1 })).toThrow(RangeError);
    expect(() => new VerdictCache({ maxEntries: 0 })).toThrow(RangeError);
    expect(() => new VerdictCache({ maxEntries: 1.5 })).toThrow(RangeError);
  });
});

describe("verdictCacheId", () => {
  it("is a digest of key, scope and ip: the key itself is not kept, and each question has its own answer", async () => {
    const key = "kw_abcdefghijklmnopqrstuvwxyz0123456789";
    const id = await verdictCacheId(key, "read", "203.0.113.7");
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(id).not.toContain("abcdefgh");
    expect(await verdictCacheId(key, "read", "203.0.113.7")).toBe(id);
    expect(await verdictCacheId(key, "write", "203.0.113.7")).not.toBe(id);
    expect(await verdictCacheId(key, "read", undefined)).not.toBe(id);
  });
});
