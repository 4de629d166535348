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

/**
 * The pure rule: stale when the last success is older than the window; when none ever happened,
 * once the site itself (`installedAt`, its first migration) is older than the window: a fresh
 * install has not missed a run yet.
 */
export function assessSweepHealth(
  lastSuccessAt: Date | null,
  now: Date,
  warnAfterHours: number,
  installedAt: Date | null = null,
): SweepHealth {
  const window = warnAfterHours * 3_600_000;
  const since = lastSuccessAt ?? installedAt;
  return {
    lastSuccessAt: lastSuccessAt?.toISOString() ?? null,
    stale: since === null || now.getTime() - since.getTime() > window,
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
  const installedAt = last ? null : await firstMigrationAt();
  return assessSweepHealth(last?.finishedAt ?? null, now, env.SWEEP_WARN_AFTER_HOURS, installedAt);
}

/** When the site's database was made: its first migration (the engine keeps the history). */
async function firstMigrationAt(): Promise<Date | null> {
  const [row] = await prisma.$queryRaw<{ at: Date | null }[]>`SELECT min(started_at) AS at FROM _prisma_migrations`;
  return row?.at ?? null;
}
