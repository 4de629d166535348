import { describe, expect, it } from "vitest";
import { OwnerNameCache } from "./owner-name-cache";

const options = { ttlMs: 30_000, maxEntries: 3 };
const named = (name: string) => async () => name;

describe("OwnerNameCache", () => {
  it("answers from memory within the TTL and asks again after it", async () => {
    const cache = new OwnerNameCache(options);
    let loads = 0;
    const loader = async () => `name ${++loads}`;
    expect(await cache.name("team", "t1", 0, loader)).toBe("name 1");
    expect(cache.name("team", "t1", 29_999, loader)).toBe("name 1"); // synchronously: no promise on a hit
    expect(await cache.name("team", "t1", 30_000 + Date.now(), loader)).toBe("name 2");
  });

  it("holds at most maxEntries owners, forgetting the oldest", async () => {
    const cache = new OwnerNameCache(options);
    for (let n = 0; n < 1_000; n += 1) await cache.name("user", `u${n}`, 0, named(`user ${n}`));
    expect(cache.size).toBe(3);
    let asked = false;
    await cache.name("user", "u0", 0, async () => ((asked = true), "again"));
    expect(asked).toBe(true);
    expect(cache.name("user", "u999", 0, named("unused"))).toBe("user 999");
  });

  it("a rename drops the name, and a load that raced the rename is not kept", async () => {
    const cache = new OwnerNameCache(options);
    await cache.name("team", "t1", 0, named("Old"));
    cache.invalidate("t1");
    let release!: (name: string) => void;
    const racing = cache.name("team", "t1", 0, () => new Promise<string>((r) => (release = r)));
    cache.invalidate("t1"); // the rename commits while the old name is on its way
    release("Old");
    expect(await racing).toBe("Old");
    expect(await cache.name("team", "t1", 0, named("New"))).toBe("New");
  });

  it("a caller after a rename does not join a load that began before it", async () => {
    const cache = new OwnerNameCache(options);
    let release!: (name: string) => void;
    const before = cache.name("team", "t1", 0, () => new Promise<string>((r) => (release = r)));
    cache.invalidate("t1");
    const after = cache.name("team", "t1", 0, named("New"));
    release("Old");
    expect(await before).toBe("Old");
    expect(await after).toBe("New");
  });

  it("loads once for concurrent misses, and forgets a failed load", async () => {
    const cache = new OwnerNameCache(options);
    let loads = 0;
    const slow = async () => {
      loads += 1;
      await new Promise((r) => setTimeout(r, 5));
      return "T";
    };
    await Promise.all([1, 2, 3].map(async () => cache.name("team", "t1", 0, slow)));
    expect(loads).toBe(1);
    await expect(cache.name("team", "t2", 0, async () => Promise.reject(new Error("down")))).rejects.toThrow("down");
    expect(await cache.name("team", "t2", 0, named("back"))).toBe("back");
  });
});
