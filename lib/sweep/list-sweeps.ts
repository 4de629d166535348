import "server-only";
import { z } from "zod";
import { prisma } from "@/lib/db/client";

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
  status: "RUNNING" | "SUCCEEDED" | "FAILED";
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

/** Sweep runs, newest first (the startedAt index). */
export async function listSweeps(rawQuery: TListSweepsQuery): Promise<SweepPage> {
  const query = ZListSweepsQuery.parse(rawQuery);
  const rows = await prisma.sweepRun.findMany({
    orderBy: [{ startedAt: "desc" }, { id: "desc" }],
    skip: (query.page - 1) * query.pageSize,
    take: query.pageSize + 1,
  });
  return {
    items: rows.slice(0, query.pageSize).map((row) => ({
      ...row,
      startedAt: row.startedAt.toISOString(),
      finishedAt: row.finishedAt?.toISOString() ?? null,
      durationMs: row.finishedAt ? row.finishedAt.getTime() - row.startedAt.getTime() : null,
    })),
    page: query.page,
    pageSize: query.pageSize,
    total: null,
    hasNext: rows.length > query.pageSize,
  };
}
