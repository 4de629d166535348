import "server-only";
import { purgeThrottles } from "@/lib/auth/throttle";
import { analyzeIfStale } from "@/lib/db/statistics";
import { purgeTokens } from "@/lib/users/email-verification";
import { env } from "@/lib/env";
import { deliverEmails } from "@/lib/notify/deliver-emails";
import { createMailer, type Mailer } from "@/lib/notify/mailer";
import { markInterruptedRuns } from "./heartbeat";
import { beginRun, finishRun, recordFailure, type SweepSummary } from "./run-record";
import { purgeSteps, queueStep, recordingSteps, type SweepSettings } from "./step-table";
import { openSweepLock, type SweepLock } from "./sweep-lock";
import { SweepRunner } from "./sweep-runner";

export type { SweepLeft, SweepSummary } from "./run-record";

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

/** The options with every default filled in from the environment. */
function settingsOf(options: SweepOptions): SweepSettings {
  return {
    now: options.now ?? new Date(),
    batchSize: options.batchSize ?? env.SWEEP_BATCH_SIZE,
    reminderDays: [...(options.reminderDays ?? env.EXPIRY_REMINDER_DAYS)].sort((a, b) => a - b),
    retentionDays: options.retentionDays ?? env.RETENTION_DAYS,
    idleDays: options.idleDays ?? env.KEY_IDLE_DAYS,
    usageRetentionDays: options.usageRetentionDays ?? env.USAGE_RETENTION_DAYS,
  };
}

/**
 * Housekeeping, never the thing that makes a key stop working (verification checks the clock).
 * Safe to run twice at once and to kill: see sweep-steps.ts, and sweep-lock.ts for its emails.
 */
export async function runSweep(options: SweepOptions): Promise<SweepSummary> {
  const settings = settingsOf(options);
  const maxSeconds = options.maxSeconds ?? env.SWEEP_MAX_SECONDS;
  // The real clock, not `now` (which tests move in time): heartbeats are about this process.
  const interruptedRuns = await markInterruptedRuns(new Date());
  const run = await beginRun(options.trigger, settings.now);
  const runner = new SweepRunner(run.id, maxSeconds, { ...run.cursors });
  let lock: SweepLock | undefined;
  let queueDeferred: boolean;
  try {
    lock = await openSweepLock();
    queueDeferred = await runSteps(runner, lock, settings);
    // Sending can be slow and needs no lock: give the connection back now.
    await lock.close();
    await deliver(runner, settings, options.mailer);
  } catch (error) {
    await recordFailure(run.id, runner.counts, error);
    throw error;
  } finally {
    await lock?.close();
  }
  return finishRun(run, runner, { now: settings.now, queueDeferred, interruptedRuns, maxSeconds });
}

/**
 * Records (under the shared lock: notices are gathered into emails only by the last sweep to
 * finish recording, see sweep-lock.ts), purges, and gathers notices into emails. True when the
 * gathering was left to another sweep still recording.
 */
async function runSteps(runner: SweepRunner, lock: SweepLock, settings: SweepSettings): Promise<boolean> {
  await runner.timed("wait", () => lock.startRecording(runner.heartbeat.pulse));
  await runner.runAll(recordingSteps(settings));
  await lock.stopRecording();
  // A large backlog has just written its notices: gathering them into emails (this run's, or
  // the run's that is still recording) is planned with statistics that know it.
  await analyzeIfStale("Notification");
  await runner.runAll(purgeSteps(settings));
  // Sign-in throttles nobody failed on for a day, and spent email links: small tables.
  if (!runner.outOfTime("queue")) {
    await purgeThrottles(settings.now);
    await purgeTokens(settings.now);
  }
  // Record first (above, with the changes), then send: a sweep killed in between leaves
  // queued notices that the next run sends, still once. Out of time, the next run gathers them.
  if (runner.outOfTime("queue")) return false;
  if (!(await lock.tryGathering())) return true;
  try {
    await runner.run(queueStep(settings));
  } finally {
    await lock.stopGathering();
  }
  return false;
}

/** Sends the queued emails (at most a batch of 25 at a time), until done or out of time. */
async function deliver(runner: SweepRunner, settings: SweepSettings, mailer: Mailer | undefined): Promise<void> {
  await runner.timed("deliver", async () => {
    if (runner.outOfTime("deliver")) return;
    const delivery = await deliverEmails({
      now: settings.now,
      mailer: mailer ?? createMailer(env.SMTP_URL, env.MAIL_FROM),
      appUrl: env.APP_URL,
      batchSize: Math.min(settings.batchSize, 25),
      maxAttempts: env.MAIL_MAX_ATTEMPTS,
      onProgress: () => runner.progress(),
      shouldStop: () => runner.outOfTime("deliver"),
    });
    runner.counts.emailsSent = delivery.sent + delivery.stored;
    runner.counts.emailsFailed = delivery.failed;
  });
}
