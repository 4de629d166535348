import "server-only";
import { START, type BatchResult, type Cursor } from "@/lib/db/batch";
import { zeroCounts, zeroStepTimes, type SweepCounter, type SweepStep } from "./counters";
import { startHeartbeat, type Heartbeat } from "./heartbeat";

/** What one batch of a step reports: rows claimed and changed, notices written, where to go on. */
export type StepOutcome = Pick<BatchResult, "picked" | "changed"> & { noticed?: number; cursor?: Cursor | null };

/** One row of a run's step table (step-table.ts). */
export interface StepRow {
  step: SweepStep;
  /** The counter a batch's changes add to; null: counted by the steps that made them (notices). */
  counter: SweepCounter | null;
  /** One batch, starting after `after`; a batch that picks nothing ends the step. */
  batch: (after: Cursor) => Promise<StepOutcome>;
  /**
   * A walk a continuing run resumes from where the last one stopped (its cursor is saved with the
   * run: backlog.ts). The others start over in every run.
   */
  resumable: boolean;
}

/**
 * Runs one sweep's steps: owns its time budget, its heartbeat (the counts go out with every beat,
 * so a run in progress shows how far it got), its counts and timings, and the cursors of its
 * resumable walks.
 */
export class SweepRunner {
  readonly counts = zeroCounts();
  readonly stepsMs = zeroStepTimes();
  readonly heartbeat: Heartbeat;
  /** Time spent waiting for another sweep to finish gathering notices into emails, in ms. */
  waitMs = 0;
  /** The longest single batch statement, in ms (each batch holds its locks only this long). */
  longestBatchMs = 0;
  /** The step the budget ran out in; null while there is time (and at the end of a whole run). */
  stoppedIn: SweepStep | null = null;
  // A run stops only after it has done some work (a batch, or a batch of emails), so that even a
  // budget shorter than one batch makes progress from call to call.
  private progressed = false;
  private readonly deadline: number;

  /**
   * `maxSeconds`: the budget (0: none), checked between batches: the run stops after the batch
   * that reaches it. `cursors`: where the resumable walks start (a continued backlog's).
   */
  constructor(
    runId: string,
    maxSeconds: number,
    readonly cursors: Partial<Record<SweepStep, Cursor>> = {},
  ) {
    this.deadline = maxSeconds > 0 ? performance.now() + maxSeconds * 1000 : Infinity;
    this.heartbeat = startHeartbeat(runId, this.counts);
  }

  /** Whether the budget is spent; the first step to find it so is where the run stopped. */
  outOfTime(step: SweepStep): boolean {
    if (this.stoppedIn === null && this.progressed && performance.now() >= this.deadline) this.stoppedIn = step;
    return this.stoppedIn !== null;
  }

  /** Headway made between batches (an email sent): counts as progress, and beats at most once a second. */
  progress(): Promise<void> {
    this.progressed = true;
    return this.heartbeat.pulse();
  }

  /** Runs `work` and adds the time it took to `step` (or to the wait). */
  async timed<T>(step: SweepStep | "wait", work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      const ms = Math.round(performance.now() - started);
      if (step === "wait") this.waitMs += ms;
      else this.stepsMs[step] += ms;
    }
  }

  /** Runs the rows in order; each stops at the budget, and every later one then does nothing. */
  async runAll(rows: StepRow[]): Promise<void> {
    for (const row of rows) await this.run(row);
  }

  /** Runs one row's batches until one picks nothing, or the budget is spent (checked before each). */
  run(row: StepRow): Promise<void> {
    return this.timed(row.step, async () => {
      let after = (row.resumable && this.cursors[row.step]) || START;
      while (!this.outOfTime(row.step)) {
        const started = performance.now();
        const result = await row.batch(after);
        this.longestBatchMs = Math.max(this.longestBatchMs, performance.now() - started);
        if (result.picked === 0) return;
        // Headway a later call keeps: a change, or a walk it resumes from the saved cursor. A walk
        // that starts over in every call (reminders) and found nothing due is not: a call with a
        // budget shorter than that walk would stop in it every time and never get past it.
        if (result.changed > 0 || (result.noticed ?? 0) > 0 || row.resumable) this.progressed = true;
        this.counts.batches += 1;
        if (row.counter) this.counts[row.counter] += result.changed;
        this.counts.noticesRecorded += result.noticed ?? 0;
        if (result.cursor) {
          after = result.cursor;
          if (row.resumable) this.cursors[row.step] = after;
        }
        await this.heartbeat.beat();
      }
    });
  }
}
