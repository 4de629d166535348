import "server-only";
import { z } from "zod";
import { prisma } from "@/lib/db/client";
import { INTERRUPTED_ERROR, isSilent } from "./heartbeat";

export const ZListSweepsQuery = z.strictObject({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type TListSweepsQuery = z.input<typeof ZListSweepsQuery>;

export interface SweepRunView {
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
  expired: number;
  rotated: number;
  remindersRecorded: number;
  purged: number;
  noticesRecorded: number;
  emailsSent: number;
  emailsFailed: number;
  batches: number;
  error: string | null;
}

export interface SweepPage {
  items: SweepRunView[];
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
  return {
    ...row,
    status: silent ? "INTERRUPTED" : row.status,
    error: silent ? INTERRUPTED_ERROR : row.error,
    startedAt: row.startedAt.toISOString(),
    finishedAt: finishedAt?.toISOString() ?? null,
    heartbeatAt: row.heartbeatAt.toISOString(),
    durationMs: finishedAt ? finishedAt.getTime() - row.startedAt.getTime() : null,
  };
}

/** Sweep runs, newest first (the startedAt index). */
export async function listSweeps(rawQuery: TListSweepsQuery, now: Date): Promise<SweepPage> {
  const query = ZListSweepsQuery.parse(rawQuery);
  const rows = await prisma.sweepRun.findMany({
    orderBy: [{ startedAt: "desc" }, { id: "desc" }],
    skip: (query.page - 1) * query.pageSize,
    take: query.pageSize + 1,
  });
  return {
    items: rows.slice(0, query.pageSize).map((row) => toSweepRunView(row, now)),
    page: query.page,
    pageSize: query.pageSize,
    total: null,
    hasNext: rows.length > query.pageSize,
  };
}
