import { afterEach, describe, expect, it, vi } from "vitest";
import { UsageRecorder } from "./usage-recorder";

afterEach(() => vi.restoreAllMocks());

describe("the usage buffer", () => {
  it("holds at most maxPending keys, however many are used, and flushes when full", async () => {
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const written: string[][] = [];
    const recorder = new UsageRecorder({
      maxPending: 100,
      flushIntervalMs: 60_000,
      write: async (ids) => {
        written.push(ids);
      },
    });
    // One burst, faster than any write can happen: the buffer stops at its bound.
    for (let i = 0; i < 10_000; i++) {
      recorder.record(`key-${i}`, i);
      expect(recorder.size).toBeLessThanOrEqual(100);
    }
    // Keys already in it still count while it is full.
    recorder.record("key-0", 1);
    await recorder.flush();
    // The full buffer asked for one flush, not one per refused use.
    expect(written).toHaveLength(1);
    expect(written[0]).toHaveLength(100);
    expect(recorder.size).toBe(0);
  });

  it("keeps the bound while the database is down and failed flushes put their counts back", async () => {
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const recorder = new UsageRecorder({
      maxPending: 50,
      flushIntervalMs: 60_000,
      write: () => Promise.reject(new Error("database down")),
    });
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 40; i++) recorder.record(`key-${round}-${i}`, i);
      await recorder.flush();
      expect(recorder.size).toBeLessThanOrEqual(50);
    }
    expect(recorder.size).toBe(50);
  });
});
