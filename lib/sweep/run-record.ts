import "server-only";
import { randomUUID } from "node:crypto";
import { Prisma, prisma } from "@/lib/db/client";
import { START, type Cursor } from "@/lib/db/batch";
import { countKeysLeft, findContinuation, KEYS_LEFT_CAP, toResumeJson } from "./backlog";
import { SWEEP_STEPS, type SweepCounts, type SweepStep } from "./counters";
import { counterColumns } from "./heartbeat";
import type { SweepRunner } from "./sweep-runner";

// A run's SweepRun row, from start to end: created RUNNING (continuing the backlog the last run
// left, if any), its counts written with every heartbeat (heartbeat.ts), and closed SUCCEEDED or
// FAILED with the final counts, and what is left when the budget ran out.

export interface SweepLeft {
  /** The step the run stopped in, then every step after it. */
  steps: SweepStep[];
  /** Keys still due to be blacklisted (expired or past their grace); counted up to `keysLeftCap`. */
  keysLeft: number;
  keysLeftCap: number;
}

export interface SweepSummary extends SweepCounts {
  runId: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** The longest single batch statement, in ms (each batch holds its locks only this long). */
  longestBatchMs: number;
  /** Time spent waiting for another sweep to finish gathering notices into emails, in ms. */
  waitMs: number;
  /** Time spent per step, in ms. */
  stepsMs: Record<SweepStep, number>;
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

export interface StartedRun {
  id: string;
  startedAt: Date;
  backlog: { id: string; run: number };
  /** Where the blacklist walks resume: the backlog's saved cursors, or the start. */
  cursors: { expire: Cursor; grace: Cursor };
}

/** Records a new RUNNING run; a backlog left by the last run (it ran out of time) is continued. */
export async function beginRun(trigger: string, now: Date): Promise<StartedRun> {
  const continuation = await findContinuation(now);
  const startedAt = new Date();
  const id = randomUUID();
  const backlogId = continuation?.backlogId ?? null;
  await prisma.sweepRun.create({ data: { id, trigger, startedAt, heartbeatAt: startedAt, backlogId } });
  return {
    id,
    startedAt,
    backlog: { id: backlogId ?? id, run: (continuation?.runsBefore ?? 0) + 1 },
    cursors: { expire: continuation?.resume?.expire ?? START, grace: continuation?.resume?.grace ?? START },
  };
}

/** Closes a run that threw: FAILED, with its counts so far. Never throws over the error itself. */
export async function recordFailure(runId: string, counts: SweepCounts, error: unknown): Promise<void> {
  const at = new Date();
  const message = (error as Error).message.slice(0, 1000);
  await prisma.sweepRun
    .update({
      where: { id: runId },
      data: { ...counterColumns(counts), status: "FAILED", finishedAt: at, heartbeatAt: at, error: message },
    })
    .catch(() => undefined);
}

/** What a run adds to its summary that the runner does not hold. */
export interface RunContext {
  now: Date;
  queueDeferred: boolean;
  interruptedRuns: number;
  maxSeconds: number;
}

/** Closes a run that finished or stopped at its budget (SUCCEEDED), and sums it up. */
export async function finishRun(run: StartedRun, runner: SweepRunner, context: RunContext): Promise<SweepSummary> {
  const stopped = runner.stoppedIn;
  const cursors = { expire: runner.cursors.expire ?? START, grace: runner.cursors.grace ?? START };
  const keysLeft = stopped === null ? null : await countKeysLeft(context.now, cursors);
  const finishedAt = new Date();
  await prisma.sweepRun.update({
    where: { id: run.id },
    data: {
      ...counterColumns(runner.counts),
      status: "SUCCEEDED",
      finishedAt,
      heartbeatAt: finishedAt,
      done: stopped === null,
      keysLeft,
      resumeFrom: stopped === null ? Prisma.DbNull : toResumeJson({ now: context.now, ...cursors }),
    },
  });
  return {
    runId: run.id,
    startedAt: run.startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - run.startedAt.getTime(),
    ...runner.counts,
    longestBatchMs: Math.round(runner.longestBatchMs),
    waitMs: runner.waitMs,
    stepsMs: runner.stepsMs,
    queueDeferred: context.queueDeferred,
    interruptedRuns: context.interruptedRuns,
    done: stopped === null,
    left:
      stopped === null
        ? null
        : {
            steps: SWEEP_STEPS.slice(SWEEP_STEPS.indexOf(stopped)),
            keysLeft: keysLeft ?? 0,
            keysLeftCap: KEYS_LEFT_CAP,
          },
    backlog: run.backlog,
    maxSeconds: context.maxSeconds,
  };
}
