import "server-only";
import { prisma } from "@/lib/db/client";
import { env } from "@/lib/env";
import type { DatabaseFigures } from "./registry";

/** The per-step counts of a sweep run (SweepRun's columns), as the metric's `step` label names them. */
const SWEEP_STEPS = [
  "expired",
  "rotated",
  "remindersRecorded",
  "idled",
  "idleReminders",
  "purged",
  "usagePurged",
  "noticesRecorded",
  "emailsQueued",
  "emailsSent",
  "emailsFailed",
] as const;

type SweepRow = { finishedAt: Date | null; startedAt: Date } & Record<(typeof SWEEP_STEPS)[number], number>;

/**
 * What the sweep, the email outbox and the webhook deliveries look like now, for a scrape: every
 * instance answers the same (they share the database). Each query walks an index: the last
 * successful run by startedAt, the outbox and deliveries by (status, nextAttemptAt).
 */
export async function readDatabaseFigures(now = new Date()): Promise<DatabaseFigures> {
  const [lastSuccess, lastFinished, emails, webhooks] = await Promise.all([
    prisma.sweepRun.findFirst({
      where: { status: "SUCCEEDED" },
      orderBy: { startedAt: "desc" },
      select: { startedAt: true, finishedAt: true, ...Object.fromEntries(SWEEP_STEPS.map((s) => [s, true])) },
    }) as Promise<SweepRow | null>,
    prisma.sweepRun.findFirst({
      where: { status: { in: ["SUCCEEDED", "FAILED", "INTERRUPTED"] } },
      orderBy: { startedAt: "desc" },
      select: { done: true, keysLeft: true },
    }),
    prisma.$queryRaw<{ pending: bigint; failed: bigint; oldest: Date | null }[]>`
      SELECT count(*) FILTER (WHERE status IN ('PENDING', 'SENDING') OR (status = 'FAILED' AND attempts < ${env.MAIL_MAX_ATTEMPTS})) AS pending,
             count(*) FILTER (WHERE status = 'FAILED' AND attempts >= ${env.MAIL_MAX_ATTEMPTS}) AS failed,
             min("nextAttemptAt") FILTER (WHERE status = 'PENDING' OR (status = 'FAILED' AND attempts < ${env.MAIL_MAX_ATTEMPTS})) AS oldest
      FROM "EmailMessage" WHERE status IN ('PENDING', 'SENDING', 'FAILED')`,
    prisma.$queryRaw<{ pending: bigint; failing: bigint; oldest: Date | null }[]>`
      SELECT count(*) FILTER (WHERE status IN ('PENDING', 'SENDING')) AS pending, count(*) FILTER (WHERE status = 'FAILED') AS failing,
             min("nextAttemptAt") FILTER (WHERE status IN ('PENDING', 'FAILED')) AS oldest
      FROM "WebhookDelivery" WHERE status IN ('PENDING', 'SENDING', 'FAILED')`,
  ]);
  const overdue = (oldest: Date | null | undefined) =>
    oldest ? Math.max(0, (now.getTime() - oldest.getTime()) / 1000) : 0;
  return {
    sweep: {
      lastSuccessAt: lastSuccess?.finishedAt ?? null,
      lastDurationSeconds: lastSuccess?.finishedAt
        ? (lastSuccess.finishedAt.getTime() - lastSuccess.startedAt.getTime()) / 1000
        : null,
      backlog: lastFinished && !lastFinished.done ? (lastFinished.keysLeft ?? 0) : 0,
      steps: lastSuccess ? Object.fromEntries(SWEEP_STEPS.map((s) => [s, lastSuccess[s]])) : {},
    },
    emails: {
      pending: Number(emails[0]?.pending ?? 0),
      failed: Number(emails[0]?.failed ?? 0),
      oldestDueSeconds: overdue(emails[0]?.oldest),
    },
    webhooks: {
      pending: Number(webhooks[0]?.pending ?? 0),
      failing: Number(webhooks[0]?.failing ?? 0),
      oldestDueSeconds: overdue(webhooks[0]?.oldest),
    },
  };
}
