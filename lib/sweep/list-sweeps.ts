import "server-only";
import { z } from "zod";
import { prisma } from "@/lib/db/client";
import { sumCounts, type SweepCounts } from "./counters";
import { INTERRUPTED_ERROR, isSilent } from "./heartbeat";

export const ZListSweepsQuery = z.strictObject({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type TListSweepsQuery = z.input<typeof ZListSweepsQuery>;

export interface SweepRunView extends SweepCounts {
  id: string;
  startedAt: string;
  finishedAt: string | null;
  /** null while running. */
  durationMs: number | null;
  /** INTERRUPTED also for a run still marked RUNNING whose heartbeat has gone silent. */
  status: "RUNNING" | "SUCCEEDED" | "FAILED" | "INTERRUPTED";
  /** The last sign of life (after each batch). */
  heartbeatAt: string;
  trigger: string;
  error: string | null;
  /** False when the run stopped at its time budget with work left (the next run continued it). */
  done: boolean;
  /** Keys still due to be blacklisted when it stopped (counted up to a cap); null when done. */
  keysLeft: number | null;
}

/**
 * A backlog: the run that began it and the runs that continued it (each stopped at its time
 * budget), read as one sweep. Its counts are the runs' sums, its duration the time they ran; its
 * status, `done` and `keysLeft` are those of its latest run. A run that finished everything is a
 * backlog of one run.
 */
export interface SweepBacklogView extends SweepRunView {
  /** The backlog's runs, oldest first. */
  runs: SweepRunView[];
}

export interface SweepPage {
  items: SweepBacklogView[];
  page: number;
  pageSize: number;
  /** Never counted: a run every few minutes adds up, and the history is browsed, not totalled. */
  total: null;
  hasNext: boolean;
}

type SweepRunRow = Awaited<ReturnType<typeof prisma.sweepRun.findMany>>[number];

/**
 * A run as people should read it. A killed run cannot record its own end, and the next sweep
 * may be an hour away: one whose heartbeat went silent reads as interrupted at its last
 * heartbeat, exactly as the next sweep will mark it, and never as in progress.
 */
export function toSweepRunView(row: SweepRunRow, now: Date): SweepRunView {
  const silent = isSilent(row, now);
  const finishedAt = silent ? row.heartbeatAt : row.finishedAt;
  const { backlogId: _backlogId, resumeFrom: _resumeFrom, ...shown } = row;
  return {
    ...shown,
    status: silent ? "INTERRUPTED" : row.status,
    error: silent ? INTERRUPTED_ERROR : row.error,
    startedAt: row.startedAt.toISOString(),
    finishedAt: finishedAt?.toISOString() ?? null,
    heartbeatAt: row.heartbeatAt.toISOString(),
    durationMs: finishedAt ? finishedAt.getTime() - row.startedAt.getTime() : null,
  };
}

/** One backlog from its runs, oldest first (the pure rule). */
export function toBacklogView(runs: SweepRunView[]): SweepBacklogView {
  const first = runs[0]!;
  const last = runs.at(-1)!;
  return {
    ...last,
    ...sumCounts(runs),
    id: first.id,
    startedAt: first.startedAt,
    trigger: first.trigger,
    durationMs: runs.every((r) => r.durationMs !== null) ? runs.reduce((sum, r) => sum + r.durationMs!, 0) : null,
    runs,
  };
}

/**
 * Sweeps, newest first, a backlog that spanned runs as one item: a page of the runs that began
 * a backlog (the startedAt index), then the runs that continued those (the backlogId index).
 */
export async function listSweeps(rawQuery: TListSweepsQuery, now: Date): Promise<SweepPage> {
  const query = ZListSweepsQuery.parse(rawQuery);
  const heads = await prisma.sweepRun.findMany({
    where: { backlogId: null },
    orderBy: [{ startedAt: "desc" }, { id: "desc" }],
    skip: (query.page - 1) * query.pageSize,
    take: query.pageSize + 1,
  });
  const shown = heads.slice(0, query.pageSize);
  const continuations = await prisma.sweepRun.findMany({
    where: { backlogId: { in: shown.map((h) => h.id) } },
    orderBy: [{ startedAt: "asc" }, { id: "asc" }],
  });
  const runsOf = new Map(shown.map((h) => [h.id, [toSweepRunView(h, now)]]));
  for (const run of continuations) runsOf.get(run.backlogId!)?.push(toSweepRunView(run, now));
  return {
    items: shown.map((h) => toBacklogView(runsOf.get(h.id)!)),
    page: query.page,
    pageSize: query.pageSize,
    total: null,
    hasNext: heads.length > query.pageSize,
  };
}
