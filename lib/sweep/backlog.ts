import "server-only";
import { z } from "zod";
import { Prisma, prisma } from "@/lib/db/client";
import type { Cursor } from "@/lib/db/batch";

// A sweep has a time budget (SWEEP_MAX_SECONDS, or ?maxSeconds= on the cron route), because a
// proxy or a serverless platform cuts off a request that runs longer. A run that reaches it stops
// after the batch in hand and leaves a backlog; the next run continues it. What a continuing run
// needs, and why it is safe:
// - Nothing here decides "exactly once": every batch still claims only keys without a blacklist
//   row, under the step's lock, and writes with ON CONFLICT (sweep-steps.ts). The saved cursors
//   only spare the next run from walking again past the keys this one already blacklisted.
// - A cursor of the blacklist walks (expire, grace) stays valid for a later `now`: every key due
//   at or before it was blacklisted by the walk, and a key that falls due later lies after it
//   (its time passes after the run's `now`). Reminders, notices and emails leave nothing to walk
//   past, so they simply start over. A run with an earlier `now` (tests move time) starts over.
// - A key inserted already past its expiry behind a cursor (no request does that) waits for the
//   first run after the backlog is cleared, which starts from the beginning again; verification
//   refuses it at its expiresAt regardless.

/** Where a continuing run resumes the blacklist walks. */
export interface ResumePoint {
  now: Date;
  expire: Cursor;
  grace: Cursor;
}

const ZCursor = z.object({ at: z.iso.datetime(), id: z.string() });
const ZResumeFrom = z.object({ now: z.iso.datetime(), expire: ZCursor, grace: ZCursor });

export function toResumeJson(point: ResumePoint): Prisma.InputJsonObject {
  const cursor = (c: Cursor) => ({ at: c.at.toISOString(), id: c.id });
  return { now: point.now.toISOString(), expire: cursor(point.expire), grace: cursor(point.grace) };
}

export interface Continuation {
  /** The run that began the backlog. */
  backlogId: string;
  /** How many runs of the backlog came before this one. */
  runsBefore: number;
  resume: ResumePoint | null;
}

/**
 * The backlog the latest finished run left, if it stopped at its budget. Runs still going are
 * not waited for: overlapping runs split batches safely either way.
 */
export async function findContinuation(now: Date): Promise<Continuation | null> {
  const last = await prisma.sweepRun.findFirst({
    where: { status: { not: "RUNNING" } },
    orderBy: [{ startedAt: "desc" }, { id: "desc" }],
    select: { id: true, status: true, done: true, backlogId: true, resumeFrom: true },
  });
  if (!last || last.status !== "SUCCEEDED" || last.done) return null;
  const backlogId = last.backlogId ?? last.id;
  const runsBefore = await prisma.sweepRun.count({ where: { OR: [{ id: backlogId }, { backlogId }] } });
  const parsed = ZResumeFrom.safeParse(last.resumeFrom);
  const resume: ResumePoint | null = parsed.success
    ? {
        now: new Date(parsed.data.now),
        expire: { at: new Date(parsed.data.expire.at), id: parsed.data.expire.id },
        grace: { at: new Date(parsed.data.grace.at), id: parsed.data.grace.id },
      }
    : null;
  // A cursor is only good for a `now` at or after the one it was walked with.
  return { backlogId, runsBefore, resume: resume && resume.now.getTime() <= now.getTime() ? resume : null };
}

/** Counting stops here: past it the answer says "at least". */
export const KEYS_LEFT_CAP = 100_000;

/**
 * Keys still due to be blacklisted (expired, or rotated past their grace) after the cursors, up to
 * KEYS_LEFT_CAP: an index walk over at most that many rows, cheap next to the batches themselves.
 */
export async function countKeysLeft(now: Date, from: { expire: Cursor; grace: Cursor }): Promise<number> {
  const due = (column: "expiresAt" | "graceEndsAt", after: Cursor) => {
    const c = Prisma.raw(`k."${column}"`);
    return Prisma.sql`
      SELECT 1 FROM "ApiKey" k
      WHERE ${c} <= ${now} AND (${c}, k.id) > (${after.at}::timestamptz, ${after.id}::text)
        AND NOT EXISTS (SELECT 1 FROM "BlacklistedKey" b WHERE b."keyId" = k.id)
      LIMIT ${KEYS_LEFT_CAP}`;
  };
  const rows = await prisma.$queryRaw<{ n: bigint }[]>`
    SELECT (SELECT count(*) FROM (${due("expiresAt", from.expire)}) e) + (SELECT count(*) FROM (${due("graceEndsAt", from.grace)}) g) AS n`;
  return Math.min(KEYS_LEFT_CAP, Number(rows[0]?.n ?? 0));
}
