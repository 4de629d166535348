import { afterEach, describe, expect, it, vi } from "vitest";
import { HOUR_MS, OUTCOME_INDEX } from "./usage-outcomes";
import { UsageRecorder, type PendingUse } from "./usage-recorder";

afterEach(() => vi.restoreAllMocks());

describe("the usage buffer", () => {
  it("holds at most maxPending keys, however many are used, and flushes when full", async () => {
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const written: string[][] = [];
    const recorder = new UsageRecorder({
      maxPending: 100,
      flushIntervalMs: 60_000,
      write: async (batch) => {
        written.push([...batch.keys()]);
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

  it("counts answers per key, hour and outcome, and only VALID ones as uses", async () => {
    const batches: Map<string, PendingUse>[] = [];
    const recorder = new UsageRecorder({
      maxPending: 10,
      flushIntervalMs: 60_000,
      write: async (b) => void batches.push(new Map(b)),
    });
    const hour = Date.UTC(2026, 10, 29, 10);
    recorder.record("a", hour + 1000, "VALID", "203.0.113.7");
    recorder.record("a", hour + 2000, "VALID");
    recorder.record("a", hour + 3000, "RATE_LIMITED");
    recorder.record("a", hour + HOUR_MS + 5, "IP_NOT_ALLOWED");
    recorder.record("b", hour + 10, "EXPIRED");
    expect(recorder.unwritten("a")).toBe(2);
    expect(recorder.unwritten("b")).toBe(0);
    await recorder.flush();
    const a = batches[0]!.get("a")!;
    expect(a.count).toBe(2);
    expect(a.lastUsedAt).toBe(hour + 2000);
    // The gate's address stays the last one known, even when a later use came through the verify route.
    expect(a.lastClientIp).toBe("203.0.113.7");
    expect(a.hours.get(hour)![OUTCOME_INDEX.VALID]).toBe(2);
    expect(a.hours.get(hour)![OUTCOME_INDEX.RATE_LIMITED]).toBe(1);
    expect(a.hours.get(hour + HOUR_MS)![OUTCOME_INDEX.IP_NOT_ALLOWED]).toBe(1);
    expect(batches[0]!.get("b")!.count).toBe(0);
    expect(recorder.unwritten("a")).toBe(0);
  });

  it("counts a batch being written as unwritten until the write ends, and again after it fails", async () => {
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    let release!: (ok: boolean) => void;
    const recorder = new UsageRecorder({
      maxPending: 10,
      flushIntervalMs: 60_000,
      write: () =>
        new Promise<void>((resolve, reject) => (release = (ok) => (ok ? resolve() : reject(new Error("down"))))),
    });
    recorder.record("a", 1, "VALID");
    const flushing = recorder.flush();
    await Promise.resolve();
    recorder.record("a", 2, "VALID");
    expect(recorder.unwritten("a")).toBe(2);
    release(false);
    await flushing;
    expect(recorder.unwritten("a")).toBe(2);
    const again = recorder.flush();
    await Promise.resolve();
    release(true);
    await again;
    expect(recorder.unwritten("a")).toBe(0);
  });
});
