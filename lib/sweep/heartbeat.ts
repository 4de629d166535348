import "server-only";
import { Prisma, prisma } from "@/lib/db/client";
import type { SweepCounter, SweepCounts } from "./counters";

/**
 * A RUNNING sweep silent for longer than this was interrupted: killed (kill -9, an OOM, a
 * platform's time limit) or cut off from the database, with no chance to record it. A live sweep
 * writes its heartbeat after every batch, and at least once a second while it sends emails or
 * waits for another sweep (see runSweep), so its longest silence is one batch statement or one
 * SMTP exchange (the mailer gives up on a dead server within seconds): three minutes is far
 * beyond that, and short enough that a dead run does not pose as in progress for long. Compared
 * with the app servers' clocks, as startedAt is; skew between them is seconds, not minutes.
 */
export const HEARTBEAT_TIMEOUT_MS = 3 * 60_000;

/** Writes from slow work between batches are spaced at least this far apart. */
const PULSE_EVERY_MS = 1000;

export const INTERRUPTED_ERROR =
  `Interrupted: no heartbeat for over ${HEARTBEAT_TIMEOUT_MS / 60_000} minutes, so the sweep was killed or lost its database. ` +
  "It stopped after its last heartbeat; whole batches are kept, and the next sweep does the rest.";

/** A run that says RUNNING but has been silent too long (the pure rule). */
export function isSilent(run: { status: string; heartbeatAt: Date }, now: Date): boolean {
  return run.status === "RUNNING" && now.getTime() - run.heartbeatAt.getTime() > HEARTBEAT_TIMEOUT_MS;
}

/**
 * Marks the runs that went silent as INTERRUPTED, ending at their last heartbeat. Run by each
 * sweep as it starts (the admin page also shows them so before any sweep has marked them).
 */
export async function markInterruptedRuns(now: Date): Promise<number> {
  // The status index finds the few RUNNING rows; no per-row values, so one set-based statement.
  return prisma.$executeRaw`
    UPDATE "SweepRun" SET status = 'INTERRUPTED', "finishedAt" = "heartbeatAt", error = ${INTERRUPTED_ERROR}
    WHERE status = 'RUNNING' AND "heartbeatAt" < ${new Date(now.getTime() - HEARTBEAT_TIMEOUT_MS)}`;
}

/** The counts a run writes with each heartbeat: its counters so far. */
export type RunProgress = SweepCounts;

/** The counters as SweepRun columns: a counter without its column in schema.prisma does not compile. */
export const counterColumns = (counts: SweepCounts): Pick<Prisma.SweepRunUpdateInput, SweepCounter> => counts;

export interface Heartbeat {
  /** After every batch: the counts so far, and a sign of life. */
  beat(): Promise<void>;
  /** From slow work between batches (each email sent, a wait): at most once a second, never throws. */
  pulse(): Promise<void>;
}

/** The heartbeat of one run; `progress` is read at each write, so the admin page shows live counts. */
export function startHeartbeat(runId: string, progress: RunProgress): Heartbeat {
  let lastWrite = Date.now();
  const write = () => {
    lastWrite = Date.now();
    // Also RUNNING again: a run that was only slow, and got marked interrupted by another sweep,
    // corrects the record by beating.
    return prisma.sweepRun.update({
      where: { id: runId },
      data: {
        ...counterColumns(progress),
        heartbeatAt: new Date(lastWrite),
        status: "RUNNING",
        finishedAt: null,
        error: null,
      },
      select: { id: true },
    });
  };
  return {
    async beat() {
      await write();
    },
    async pulse() {
      if (Date.now() - lastWrite < PULSE_EVERY_MS) return;
      // A lost sign of life is not worth failing an email or a sweep for; the next one may land.
      await write().catch(() => undefined);
    },
  };
}
