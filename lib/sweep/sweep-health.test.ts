import { describe, expect, it } from "vitest";
import { assessSweepHealth } from "./sweep-health";

const NOW = new Date("2026-11-29T12:00:00.000Z");
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);

describe("assessSweepHealth", () => {
  it("is stale when no sweep ever succeeded", () => {
    expect(assessSweepHealth(null, NOW, 24)).toEqual({ lastSuccessAt: null, stale: true, warnAfterHours: 24 });
    expect(assessSweepHealth(null, NOW, 24, hoursAgo(25)).stale).toBe(true);
  });

  it("is not stale on a fresh install before a first run was due", () => {
    expect(assessSweepHealth(null, NOW, 24, hoursAgo(1)).stale).toBe(false);
    expect(assessSweepHealth(null, NOW, 24, hoursAgo(24)).stale).toBe(false);
  });

  it("is healthy right after a success and up to the window's end", () => {
    expect(assessSweepHealth(hoursAgo(0), NOW, 24).stale).toBe(false);
    expect(assessSweepHealth(hoursAgo(24), NOW, 24).stale).toBe(false);
  });

  it("is stale once the last success is older than the window", () => {
    const health = assessSweepHealth(new Date(hoursAgo(24).getTime() - 1), NOW, 24);
    expect(health.stale).toBe(true);
    expect(health.lastSuccessAt).toBe("2026-11-28T11:59:59.999Z");
    expect(assessSweepHealth(hoursAgo(2), NOW, 1).stale).toBe(true);
  });

  it("treats a success stamped in the future (clock skew between instances) as healthy", () => {
    expect(assessSweepHealth(new Date(NOW.getTime() + 60_000), NOW, 24).stale).toBe(false);
  });
});
