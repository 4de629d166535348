import { describe, expect, it } from "vitest";
import { ReusedResult } from "./reused-result";

describe("a reused result", () => {
  it("is loaded once per key within its time, concurrent callers included, and again after", async () => {
    const reused = new ReusedResult<number>(1000);
    let loads = 0;
    const load = async () => ++loads;
    const [a, b] = await Promise.all([reused.get("k", load, 0), reused.get("k", load, 10)]);
    expect([a, b, loads]).toEqual([1, 1, 1]);
    expect(await reused.get("other", load, 20)).toBe(2);
    expect(await reused.get("k", load, 999)).toBe(1);
    expect(await reused.get("k", load, 1000)).toBe(3);
  });

  it("does not keep a failure", async () => {
    const reused = new ReusedResult<number>(60_000);
    await expect(reused.get("k", () => Promise.reject(new Error("down")), 0)).rejects.toThrow("down");
    await Promise.resolve();
    expect(await reused.get("k", async () => 7, 1)).toBe(7);
  });

  it("holds at most maxEntries keys", async () => {
    const reused = new ReusedResult<number>(60_000, 4);
    for (let i = 0; i < 100; i++) {
      await reused.get(`k${i}`, async () => i, 0);
      expect(reused.size).toBeLessThanOrEqual(4);
    }
  });

  it("keeps only slow results when asked to", async () => {
    const reused = new ReusedResult<number>(60_000, 4, 50);
    let loads = 0;
    const fast = async () => ++loads;
    await reused.get("k", fast);
    await Promise.resolve();
    await reused.get("k", fast);
    expect(loads).toBe(2);
    const slow = () => new Promise<number>((resolve) => setTimeout(() => resolve(++loads), 60));
    await reused.get("s", slow);
    await reused.get("s", slow);
    expect(loads).toBe(3);
  });
});
