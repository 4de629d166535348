import "server-only";
import { forgetKey } from "@/lib/keys/check/key-store";
import { projectPendingNotices } from "@/lib/notify/notices-from-events";
import { queueEmailsBatch } from "@/lib/notify/queue-emails";
import { idleBatch, idleRemindBatch, type IdleSettings } from "./idle-steps";
import {
  endGraceBatch,
  expireBatch,
  purgeBatch,
  purgeUsageBatch,
  purgeUsageSumsBatch,
  remindBatch,
} from "./sweep-steps";
import type { StepRow } from "./sweep-runner";

/** A run's settings, every default filled in (run-sweep.ts). */
export interface SweepSettings {
  now: Date;
  batchSize: number;
  /** Ascending. */
  reminderDays: number[];
  retentionDays: number;
  /** 0: keys are never disabled for being unused. */
  idleDays: number;
  usageRetentionDays: number;
}

const DAY_MS = 86_400_000;

// Batches that write more per row than they claim are capped smaller, to keep each statement
// short: an idle batch does the most per key (events, notices, a NOTIFY per disabled key, and the
// anchors of used keys moved up), and its batches come closest to the 1 s a batch may take
// (docs/performance.md); a queue batch creates emails as well as updating notices.
const HEAVY_BATCH = 1000;

/**
 * The steps that record changes and the owners' notices of them, in order: run under the shared
 * lock, so that notices are gathered into emails only once every sweep has recorded (sweep-lock.ts).
 */
export function recordingSteps(settings: SweepSettings): StepRow[] {
  const { now, batchSize, reminderDays } = settings;
  const idle: IdleSettings | null = settings.idleDays > 0 ? { now, idleDays: settings.idleDays, reminderDays } : null;
  const idleBatchSize = Math.min(batchSize, HEAVY_BATCH);
  const rows: StepRow[] = [
    { step: "expire", counter: "expired", resumable: true, batch: (after) => expireBatch(now, batchSize, after) },
    { step: "grace", counter: "rotated", resumable: true, batch: (after) => endGraceBatch(now, batchSize, after) },
  ];
  if (idle) {
    rows.push({
      step: "idle",
      counter: "idled",
      resumable: false,
      batch: async (after) => {
        const result = await idleBatch(idle, idleBatchSize, after);
        // Other instances drop them on the NOTIFY the batch sent; this one (and an embedded,
        // single-instance site without a listener) at once.
        for (const id of result.ids) forgetKey(id);
        return result;
      },
    });
  }
  for (const [i, days] of reminderDays.entries()) {
    const lower = i === 0 ? 0 : reminderDays[i - 1]!;
    // Keys that end at their expiry, then rotated keys whose grace ends first (sweep-steps.ts).
    for (const walk of ["expiresAt", "graceEndsAt"] as const) {
      rows.push({
        step: "remind",
        counter: "remindersRecorded",
        resumable: false,
        batch: (after) => remindBatch(now, days, lower, batchSize, after, undefined, walk),
      });
    }
  }
  if (idle) {
    for (const i of reminderDays.keys()) {
      rows.push({
        step: "idleRemind",
        counter: "idleReminders",
        resumable: false,
        batch: (after) => idleRemindBatch(idle, i, idleBatchSize, after),
      });
    }
  }
  // Notices of events recorded by requests (an admin's blacklisting, a leak report) that no
  // dispatcher has turned into notices yet: now, so this sweep's emails include them.
  // A batch of them is headway, counted as a batch; the notices count as their own steps' did.
  const projectNotices = async () => {
    const taken = await projectPendingNotices();
    return { picked: taken, changed: taken };
  };
  rows.push({ step: "notices", counter: null, resumable: false, batch: projectNotices });
  return rows;
}

/** Deleting what is past its retention, after recording (these take no lock). */
export function purgeSteps(settings: SweepSettings): StepRow[] {
  const { now, batchSize, retentionDays, usageRetentionDays } = settings;
  const before = (days: number) => new Date(now.getTime() - days * DAY_MS);
  const rows: StepRow[] = [];
  if (retentionDays > 0) {
    rows.push({
      step: "purge",
      counter: "purged",
      resumable: false,
      batch: (after) => purgeBatch(before(retentionDays), batchSize, after),
    });
  }
  rows.push({
    step: "purgeUsage",
    counter: "usagePurged",
    resumable: false,
    batch: (after) => purgeUsageBatch(before(usageRetentionDays), batchSize, after),
  });
  // Their sums after them, by the same rule (sweep-steps.ts).
  for (const table of ["KeyUsageHourTotal", "UsageSumHour"] as const) {
    rows.push({
      step: "purgeUsage",
      counter: "usagePurged",
      resumable: false,
      batch: (after) => purgeUsageSumsBatch(table, before(usageRetentionDays), batchSize, after),
    });
  }
  return rows;
}

/** Gathering pending notices into emails: run only by the sweep holding the gathering lock. */
export function queueStep(settings: SweepSettings): StepRow {
  const size = Math.min(settings.batchSize, HEAVY_BATCH);
  return {
    step: "queue",
    counter: "emailsQueued",
    resumable: false,
    batch: (after) => queueEmailsBatch(settings.now, size, after),
  };
}
