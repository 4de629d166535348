import { describe, expect, it } from "vitest";
import { HEARTBEAT_TIMEOUT_MS, INTERRUPTED_ERROR } from "./heartbeat";
import { toSweepRunView } from "./list-sweeps";

const NOW = new Date("2026-11-29T12:00:00.000Z");
const ago = (ms: number) => new Date(NOW.getTime() - ms);

function row(
  status: "RUNNING" | "SUCCEEDED" | "FAILED" | "INTERRUPTED",
  heartbeatAt: Date,
  finishedAt: Date | null = null,
) {
  return {
    id: "run",
    startedAt: ago(HEARTBEAT_TIMEOUT_MS + 60_000),
    finishedAt,
    heartbeatAt,
    status,
    trigger: "cron",
    expired: 3,
    rotated: 0,
    remindersRecorded: 0,
    idled: 0,
    idleReminders: 0,
    purged: 0,
    usagePurged: 0,
    noticesRecorded: 3,
    emailsQueued: 0,
    emailsSent: 0,
    emailsFailed: 0,
    batches: 1,
    error: null,
    done: true,
    backlogId: null,
    resumeFrom: null,
    keysLeft: null,
  };
}

describe("toSweepRunView", () => {
  it("shows a run with a fresh heartbeat as running, up to the threshold", () => {
    expect(toSweepRunView(row("RUNNING", ago(1000)), NOW)).toMatchObject({
      status: "RUNNING",
      finishedAt: null,
      durationMs: null,
    });
    expect(toSweepRunView(row("RUNNING", ago(HEARTBEAT_TIMEOUT_MS)), NOW).status).toBe("RUNNING");
  });

  it("shows a RUNNING run silent past the threshold as interrupted at its last heartbeat", () => {
    const lastBeat = ago(HEARTBEAT_TIMEOUT_MS + 1);
    expect(toSweepRunView(row("RUNNING", lastBeat), NOW)).toMatchObject({
      status: "INTERRUPTED",
      finishedAt: lastBeat.toISOString(),
      durationMs: 59_999,
      error: INTERRUPTED_ERROR,
    });
  });

  it("leaves finished runs alone, however old their heartbeat", () => {
    const old = ago(10 * HEARTBEAT_TIMEOUT_MS);
    expect(toSweepRunView(row("SUCCEEDED", old, old), NOW)).toMatchObject({ status: "SUCCEEDED", error: null });
    expect(toSweepRunView(row("INTERRUPTED", old, old), NOW)).toMatchObject({
      status: "INTERRUPTED",
      finishedAt: old.toISOString(),
    });
  });
});
