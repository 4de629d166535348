import "server-only";
import { randomUUID } from "node:crypto";
import { purgeThrottles } from "@/lib/auth/throttle";
import { projectPendingNotices } from "@/lib/notify/notices-from-events";
import { Prisma, prisma } from "@/lib/db/client";
import { analyzeIfStale } from "@/lib/db/statistics";
import { purgeTokens } from "@/lib/users/email-verification";
import { env } from "@/lib/env";
import { deliverEmails } from "@/lib/notify/deliver-emails";
import { createMailer, type Mailer } from "@/lib/notify/mailer";
import { queueEmailsBatch } from "@/lib/notify/queue-emails";
import { countKeysLeft, findContinuation, KEYS_LEFT_CAP, toResumeJson } from "./backlog";
import { markInterruptedRuns, startHeartbeat, type RunProgress } from "./heartbeat";
import { openSweepLock, type SweepLock } from "./sweep-lock";
import { forgetKey } from "@/lib/keys/key-store";
import { idleBatch, idleRemindBatch, type IdleSettings } from "./idle-steps";
import { endGraceBatch, expireBatch, purgeBatch, purgeUsageBatch, remindBatch, START, type BatchResult, type Cursor } from "./sweep-steps";

export interface SweepSummary {
  runId: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  expired: number;
  rotated: number;
  remindersRecorded: number;
  /** Keys blacklisted IDLE: unused for KEY_IDLE_DAYS, their owners reminded (0 while it is off). */
  idled: number;
  /** Idle reminders recorded (a key entering a reminder window before it would be disabled). */
  idleReminders: number;
  purged: number;
  /** Hourly usage counters deleted past USAGE_RETENTION_DAYS. */
  usagePurged: number;
  /** In-app notices written for owners (reminders, expiry, grace ended). */
  noticesRecorded: number;
  emailsQueued: number;
  /** Delivered by SMTP, or kept in the outbox when no SMTP server is configured. */
  emailsSent: number;
  emailsFailed: number;
  batches: number;
  /** The longest single batch statement, in ms (each batch holds its locks only this long). */
  longestBatchMs: number;
  /** Time spent per step, in ms ("wait": for another sweep to finish gathering notices into emails). */
  stepsMs: Record<"wait" | "expire" | "grace" | "idle" | "remind" | "idleRemind" | "purge" | "purgeUsage" | "queue" | "deliver", number>;
  /**
   * True when another sweep was still recording notices as this one finished: gathering them into
   * emails was left to it (the last to finish recording), so that each owner gets one email.
   */
  queueDeferred: boolean;
  /** Earlier runs this one found silent (killed mid-run) and marked INTERRUPTED. */
  interruptedRuns: number;
  /** False when the run stopped at its time budget with work left: call again to continue. */
  done: boolean;
  /** What the next run has left to do; null when done. */
  left: SweepLeft | null;
  /** The backlog this run belongs to: its first run's id, and this run's place in it (1 = first). */
  backlog: { id: string; run: number };
  /** The time budget this run had, in seconds (0: none). */
  maxSeconds: number;
}

/** The steps of a run, in order. */
export const SWEEP_STEPS = ["expire", "grace", "idle", "remind", "idleRemind", "notices", "purge", "purgeUsage", "queue", "deliver"] as const;
export type SweepStep = (typeof SWEEP_STEPS)[number];

export interface SweepLeft {
  /** The step the run stopped in, then every step after it. */
  steps: SweepStep[];
  /** Keys still due to be blacklisted (expired or past their grace); counted up to `keysLeftCap`. */
  keysLeft: number;
  keysLeftCap: number;
}

export interface SweepOptions {
  trigger: string;
  now?: Date;
  batchSize?: number;
  reminderDays?: number[];
  retentionDays?: number;
  /** Default KEY_IDLE_DAYS; 0: keys are never disabled for being unused. */
  idleDays?: number;
  /** Default USAGE_RETENTION_DAYS. */
  usageRetentionDays?: number;
  /** Defaults to SMTP_URL's server, or the database outbox. */
  mailer?: Mailer;
  /**
   * Time budget in seconds (default SWEEP_MAX_SECONDS; 0: none). Checked between batches: the run
   * stops after the batch that reaches it, so it lasts the budget plus at most one batch.
   */
  maxSeconds?: number;
}

/**
 * Housekeeping, never the thing that makes a key stop working (verification checks the clock).
 * Safe to run twice at once and to kill: see sweep-steps.ts, and sweep-lock.ts for its emails.
 */
export async function runSweep(options: SweepOptions): Promise<SweepSummary> {
  const now = options.now ?? new Date();
  const batchSize = options.batchSize ?? env.SWEEP_BATCH_SIZE;
  const reminderDays = [...(options.reminderDays ?? env.EXPIRY_REMINDER_DAYS)].sort((a, b) => a - b);
  const retentionDays = options.retentionDays ?? env.RETENTION_DAYS;
  const idleDays = options.idleDays ?? env.KEY_IDLE_DAYS;
  const usageRetentionDays = options.usageRetentionDays ?? env.USAGE_RETENTION_DAYS;
  const maxSeconds = options.maxSeconds ?? env.SWEEP_MAX_SECONDS;
  const deadline = maxSeconds > 0 ? performance.now() + maxSeconds * 1000 : Infinity;
  /** The step the budget ran out in; null while there is time (and at the end of a whole run). */
  let stoppedIn: SweepStep | null = null;
  // A run stops only after it has done some work (a batch, or a batch of emails), so that even a
  // budget shorter than one batch makes progress from call to call.
  let progressed = false;
  const outOfTime = (step: SweepStep): boolean => {
    if (stoppedIn === null && progressed && performance.now() >= deadline) stoppedIn = step;
    return stoppedIn !== null;
  };

  // The real clock, not `now` (which tests move in time): heartbeats are about this process.
  const interruptedRuns = await markInterruptedRuns(new Date());
  // A backlog left by the last run (it ran out of time): continue it, and its walks, from there.
  const continuation = await findContinuation(now);
  const cursors = { expire: continuation?.resume?.expire ?? START, grace: continuation?.resume?.grace ?? START };
  const startedAt = new Date();
  const runId = randomUUID();
  const run = await prisma.sweepRun.create({
    data: { id: runId, trigger: options.trigger, startedAt, heartbeatAt: startedAt, backlogId: continuation?.backlogId ?? null },
  });
  const backlog = { id: continuation?.backlogId ?? runId, run: (continuation?.runsBefore ?? 0) + 1 };
  const counts: RunProgress = {
    expired: 0,
    rotated: 0,
    remindersRecorded: 0,
    idled: 0,
    idleReminders: 0,
    purged: 0,
    usagePurged: 0,
    noticesRecorded: 0,
    emailsQueued: 0,
    emailsSent: 0,
    emailsFailed: 0,
    batches: 0,
  };
  let longestBatchMs = 0;
  const stepsMs = { wait: 0, expire: 0, grace: 0, idle: 0, remind: 0, idleRemind: 0, purge: 0, purgeUsage: 0, queue: 0, deliver: 0 };
  let queueDeferred = false;
  // The counts go out with every heartbeat, so a run in progress shows how far it got.
  const heartbeat = startHeartbeat(run.id, counts);

  /**
   * Runs one step's batches until one claims nothing, or the time budget is spent (checked before
   * each batch); cursor steps resume after the last row, from `from` (a continued backlog's).
   */
  async function drain(
    name: Exclude<SweepStep, "notices" | "deliver">,
    total: "expired" | "rotated" | "idled" | "remindersRecorded" | "idleReminders" | "purged" | "usagePurged" | "emailsQueued",
    step: (after: Cursor) => Promise<Pick<BatchResult, "picked" | "changed"> & { noticed?: number; cursor?: Cursor | null }>,
    from: Cursor = START,
    onCursor?: (cursor: Cursor) => void,
  ): Promise<void> {
    const stepStarted = performance.now();
    let after = from;
    for (;;) {
      if (outOfTime(name)) break;
      const started = performance.now();
      const result = await step(after);
      longestBatchMs = Math.max(longestBatchMs, performance.now() - started);
      if (result.picked === 0) break;
      // Headway a later call keeps: a change, or a walk it resumes from the saved cursor. A walk
      // that starts over in every call (reminders) and found nothing due is not: a call with a
      // budget shorter than that walk would stop in it every time and never get past it.
      if (result.changed > 0 || (result.noticed ?? 0) > 0 || onCursor) progressed = true;
      counts.batches += 1;
      counts[total] += result.changed;
      counts.noticesRecorded += result.noticed ?? 0;
      if (result.cursor) {
        after = result.cursor;
        onCursor?.(after);
      }
      await heartbeat.beat();
    }
    stepsMs[name] += Math.round(performance.now() - stepStarted);
  }

  /** Notices of events recorded outside the sweep, in batches, with heartbeats. */
  async function drainNotices(): Promise<void> {
    for (;;) {
      if (outOfTime("notices")) return;
      const started = performance.now();
      const taken = await projectPendingNotices();
      longestBatchMs = Math.max(longestBatchMs, performance.now() - started);
      if (taken === 0) return;
      progressed = true;
      counts.batches += 1;
      await heartbeat.beat();
    }
  }

  let lock: SweepLock | undefined;
  try {
    // The steps that record notices run under the shared lock, and notices are gathered into
    // emails only by the last sweep to finish recording: see sweep-lock.ts.
    lock = await openSweepLock();
    const waitStarted = performance.now();
    await lock.startRecording(heartbeat.pulse);
    stepsMs.wait = Math.round(performance.now() - waitStarted);
    await drain("expire", "expired", (after) => expireBatch(now, batchSize, after), cursors.expire, (c) => (cursors.expire = c));
    await drain("grace", "rotated", (after) => endGraceBatch(now, batchSize, after), cursors.grace, (c) => (cursors.grace = c));
    const idle: IdleSettings | null = idleDays > 0 ? { now, idleDays, reminderDays } : null;
    // An idle batch does the most per key (events, notices, a NOTIFY per disabled key, and the
    // anchors of used keys moved up): at 2,000 keys its batches took 560–974 ms beside 1,000,000
    // keys (bench:sweep), the closest of all to the 1 s a batch may take. Half of that, always.
    const idleBatchSize = Math.min(batchSize, 1000);
    if (idle) {
      await drain("idle", "idled", async (after) => {
        const result = await idleBatch(idle, idleBatchSize, after);
        // Other instances drop them on the NOTIFY the batch sent; this one (and an embedded,
        // single-instance site without a listener) at once.
        for (const id of result.ids) forgetKey(id);
        return result;
      });
    }
    for (const [i, days] of reminderDays.entries()) {
      const lower = i === 0 ? 0 : reminderDays[i - 1]!;
      await drain("remind", "remindersRecorded", (after) => remindBatch(now, days, lower, batchSize, after));
    }
    if (idle) {
      for (const i of reminderDays.keys()) {
        await drain("idleRemind", "idleReminders", (after) => idleRemindBatch(idle, i, idleBatchSize, after));
      }
    }
    // Notices of events recorded by requests (an admin's blacklisting, a leak report) that no
    // dispatcher has turned into notices yet: now, so this sweep's emails include them.
    await drainNotices();
    await lock.stopRecording();
    // A large backlog has just written its notices: gathering them into emails (this run's, or
    // the run's that is still recording) is planned with statistics that know it.
    await analyzeIfStale("Notification");
    if (retentionDays > 0 && !outOfTime("purge")) {
      const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
      await drain("purge", "purged", (after) => purgeBatch(cutoff, batchSize, after));
    }
    if (!outOfTime("purgeUsage")) {
      const cutoff = new Date(now.getTime() - usageRetentionDays * 86_400_000);
      await drain("purgeUsage", "usagePurged", (after) => purgeUsageBatch(cutoff, batchSize, after));
    }
    // Sign-in throttles nobody failed on for a day, and spent email links: small tables.
    if (!outOfTime("queue")) {
      await purgeThrottles(now);
      await purgeTokens(now);
    }
    // Record first (above, with the changes), then send: a sweep killed in between leaves
    // queued notices that the next run sends, still once. Out of time, the next run gathers them.
    if (!outOfTime("queue")) {
      if (await lock.tryGathering()) {
        try {
          // Queue batches create emails as well as update notices: smaller, to keep each one short.
          await drain("queue", "emailsQueued", (after) => queueEmailsBatch(now, Math.min(batchSize, 1000), after));
        } finally {
          await lock.stopGathering();
        }
      } else {
        queueDeferred = true;
      }
    }
    // Sending can be slow and needs no lock: give the connection back now.
    await lock.close();
    const deliverStarted = performance.now();
    const delivery = outOfTime("deliver") ? { sent: 0, stored: 0, failed: 0 } : await deliverEmails({
      now,
      mailer: options.mailer ?? createMailer(env.SMTP_URL, env.MAIL_FROM),
      appUrl: env.APP_URL,
      batchSize: Math.min(batchSize, 25),
      maxAttempts: env.MAIL_MAX_ATTEMPTS,
      onProgress: () => {
        progressed = true;
        return heartbeat.pulse();
      },
      shouldStop: () => outOfTime("deliver"),
    });
    counts.emailsSent = delivery.sent + delivery.stored;
    counts.emailsFailed = delivery.failed;
    stepsMs.deliver = Math.round(performance.now() - deliverStarted);
  } catch (error) {
    await prisma.sweepRun
      .update({
        where: { id: run.id },
        data: { ...counts, status: "FAILED", finishedAt: new Date(), heartbeatAt: new Date(), error: (error as Error).message.slice(0, 1000) },
      })
      .catch(() => undefined);
    throw error;
  } finally {
    await lock?.close();
  }

  const stopped: SweepStep | null = stoppedIn;
  const keysLeft = stopped === null ? null : await countKeysLeft(now, cursors);
  const finished = await prisma.sweepRun.update({
    where: { id: run.id },
    data: {
      ...counts,
      status: "SUCCEEDED",
      finishedAt: new Date(),
      heartbeatAt: new Date(),
      done: stopped === null,
      keysLeft,
      resumeFrom: stopped === null ? Prisma.DbNull : toResumeJson({ now, ...cursors }),
    },
  });
  const finishedAt = finished.finishedAt!;
  return {
    runId: run.id,
    startedAt: run.startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - run.startedAt.getTime(),
    ...counts,
    longestBatchMs: Math.round(longestBatchMs),
    stepsMs,
    queueDeferred,
    interruptedRuns,
    done: stopped === null,
    left:
      stopped === null
        ? null
        : { steps: SWEEP_STEPS.slice(SWEEP_STEPS.indexOf(stopped)), keysLeft: keysLeft ?? 0, keysLeftCap: KEYS_LEFT_CAP },
    backlog,
    maxSeconds,
  };
}
