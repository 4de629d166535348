import "server-only";
import { prisma } from "@/lib/db/client";
import { env } from "@/lib/env";

export interface SweepHealth {
  /** When the newest successful run finished; null when none ever succeeded. */
  lastSuccessAt: string | null;
  /** True when no run succeeded within warnAfterHours: the cron has probably stopped. */
  stale: boolean;
  warnAfterHours: number;
}

/** The pure rule: stale when the last success is older than the window, or never happened. */
export function assessSweepHealth(lastSuccessAt: Date | null, now: Date, warnAfterHours: number): SweepHealth {
  return {
    lastSuccessAt: lastSuccessAt?.toISOString() ?? null,
    stale: lastSuccessAt === null || now.getTime() - lastSuccessAt.getTime() > warnAfterHours * 3_600_000,
    warnAfterHours,
  };
}

/**
 * Whether the scheduled sweep still runs. Verification never depends on it (expiry is checked at
 * the instant), but reminders and purging do, and a stopped cron is otherwise silent.
 */
export async function sweepHealth(now: Date): Promise<SweepHealth> {
  // Newest by startedAt walks the startedAt index and stops at the first success; ordering by
  // finishedAt would read every run.
  const last = await prisma.sweepRun.findFirst({
    where: { status: "SUCCEEDED" },
    orderBy: { startedAt: "desc" },
    select: { finishedAt: true },
  });
  return assessSweepHealth(last?.finishedAt ?? null, now, env.SWEEP_WARN_AFTER_HOURS);
}
