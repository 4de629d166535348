import { describe, expect, it } from "vitest";
import { evaluateKey, type KeyRecord } from "./evaluate-key";
import { KeyCache } from "./key-cache";

const record = (id: string, expiresAt: number | null = null): KeyRecord => ({
  id,
  kind: "KEY",
  issuedById: null,
  owner: { type: "user", id: "u", name: "U" },
  name: id,
  scopes: ["read"],
  expiresAt: expiresAt === null ? null : new Date(expiresAt),
  graceEndsAt: null,
  blacklist: null,
  limits: { rate: null, allowIp: null, usageCap: null, usageCount: 0 },
});

const options = { ttlMs: 30_000, negativeTtlMs: 5_000, maxEntries: 3, maxMisses: 2 };

describe("KeyCache", () => {
  it("a cached key still expires at its expiresAt: the verdict is taken at each hit", () => {
    const cache = new KeyCache(options);
    cache.set("h1", record("k1", 1_000), 0);
    const at = (t: number) => evaluateKey(cache.get("h1", t)!, new Date(t), undefined, "http://x").code;
    expect(at(999)).toBe("VALID");
    expect(at(1_000)).toBe("EXPIRED");
  });

  it("forgets entries after the TTL, unknown keys sooner", () => {
    const cache = new KeyCache(options);
    cache.set("known", record("k1"), 0);
    cache.set("unknown", null, 0);
    expect(cache.get("unknown", 4_999)).toBeNull();
    expect(cache.get("unknown", 5_000)).toBeUndefined();
    expect(cache.get("known", 29_999)).not.toBeUndefined();
    expect(cache.get("known", 30_000)).toBeUndefined();
  });

  it("invalidates by key id", () => {
    const cache = new KeyCache(options);
    cache.set("h1", record("k1"), 0);
    cache.invalidate("k1");
    expect(cache.get("h1", 1)).toBeUndefined();
  });

  it("evicts the oldest entry when full", () => {
    const cache = new KeyCache(options);
    for (const n of [1, 2, 3, 4]) cache.set(`h${n}`, record(`k${n}`), 0);
    expect(cache.size).toBe(3);
    expect(cache.get("h1", 1)).toBeUndefined();
    expect(cache.get("h4", 1)).not.toBeUndefined();
  });

  it("loads once for concurrent misses", async () => {
    const cache = new KeyCache(options);
    let loads = 0;
    const loader = async () => {
      loads += 1;
      await new Promise((r) => setTimeout(r, 5));
      return record("k1");
    };
    await Promise.all([1, 2, 3].map(() => cache.load("h1", Date.now(), loader)));
    expect(loads).toBe(1);
    await cache.load("h1", Date.now(), loader);
    expect(loads).toBe(1);
  });

  it("does not cache a load that raced with an invalidation", async () => {
    const cache = new KeyCache(options);
    let release!: () => void;
    const loading = cache.load("h1", Date.now(), () => new Promise((r) => (release = () => r(record("k1")))));
    cache.invalidate("k1"); // e.g. revoked while the old state was being read
    release();
    await loading;
    expect(cache.get("h1", Date.now())).toBeUndefined();
  });

  it("keeps unknown keys apart: a flood of them never evicts a known key", () => {
    const cache = new KeyCache(options);
    cache.set("known", record("k1"), 0);
    for (let n = 0; n < 10_000; n++) cache.set(`invented-${n}`, null, 0);
    expect(cache.get("known", 1)).not.toBeUndefined();
    expect(cache.size).toBe(1);
    expect(cache.missCount).toBe(2);
    // The newest unknown keys are the ones remembered.
    expect(cache.get("invented-9999", 1)).toBeNull();
    expect(cache.get("invented-0", 1)).toBeUndefined();
  });
});
