import { describe, expect, it } from "vitest";
import { LocalRateCounter, windowStart } from "./rate-counter";

describe("the in-process rate counter", () => {
  const minute = Date.UTC(2026, 10, 29, 12, 0, 0);

  it("allows exactly the limit per window, aligned to the clock, then starts again", () => {
    const counter = new LocalRateCounter();
    const answers = Array.from({ length: 7 }, (_, i) => counter.take("k", 5, 60, minute + 1000 + i));
    expect(answers.filter((a) => a.allowed)).toHaveLength(5);
    expect(answers.map((a) => a.remaining)).toEqual([4, 3, 2, 1, 0, 0, 0]);
    expect(answers[0]!.resetAt).toBe(minute + 60_000);
    // The next minute is a new window.
    expect(counter.take("k", 5, 60, minute + 60_000)).toEqual({
      allowed: true,
      remaining: 4,
      resetAt: minute + 120_000,
      resetAtIso: new Date(minute + 120_000).toISOString(),
    });
  });

  it("keeps keys and windows apart", () => {
    const counter = new LocalRateCounter();
    expect(counter.take("a", 1, 1, minute).allowed).toBe(true);
    expect(counter.take("a", 1, 1, minute + 10).allowed).toBe(false);
    expect(counter.take("b", 1, 1, minute + 10).allowed).toBe(true);
    // A limit changed to another window size starts counting again.
    expect(counter.take("a", 1, 3600, minute + 10).allowed).toBe(true);
    expect(counter.take("a", 1, 3600, minute + 11).allowed).toBe(false);
  });

  it("gives back a take refused for another reason, within the same window only", () => {
    const counter = new LocalRateCounter();
    counter.take("a", 2, 60, minute);
    counter.take("a", 2, 60, minute);
    counter.giveBack("a", 60, minute + 5);
    expect(counter.take("a", 2, 60, minute + 6).allowed).toBe(true);
    counter.giveBack("a", 60, minute + 60_000);
    expect(counter.take("a", 2, 60, minute + 7).allowed).toBe(false);
  });

  it("holds at most maxKeys windows, forgetting the one that rolled longest ago", () => {
    const counter = new LocalRateCounter(100);
    for (let i = 0; i < 10_000; i++) {
      counter.take(`key-${i}`, 10, 60, minute + i);
      expect(counter.size).toBeLessThanOrEqual(100);
    }
    expect(counter.size).toBe(100);
    // The newest keys are still counted.
    for (let i = 0; i < 9; i++) counter.take("key-9999", 10, 60, minute + 10_000);
    expect(counter.take("key-9999", 10, 60, minute + 10_000).allowed).toBe(false);
  });

  it("aligns windows to the epoch", () => {
    expect(windowStart(Date.UTC(2026, 0, 1, 10, 30, 15, 500), 3_600_000)).toBe(Date.UTC(2026, 0, 1, 10));
    expect(windowStart(Date.UTC(2026, 0, 1, 10, 30, 15, 500), 1000)).toBe(Date.UTC(2026, 0, 1, 10, 30, 15));
  });
});
