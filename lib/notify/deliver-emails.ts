import "server-only";
import { prisma } from "@/lib/db/client";
import type { Mailer } from "./mailer";
import type { NoticeItem } from "./notice-text";
import { renderEmail } from "./render-email";

export interface DeliveryOptions {
  now: Date;
  mailer: Mailer;
  appUrl: string;
  batchSize: number;
  maxAttempts: number;
}

export interface DeliverySummary {
  sent: number;
  stored: number;
  failed: number;
}

/** A claim older than this belonged to a sweep that died mid-send. */
const LEASE_MS = 10 * 60_000;

/**
 * Sends queued emails: claim (status SENDING, one statement, SKIP LOCKED), send, mark SENT, or
 * FAILED with a backoff for the next sweep, up to maxAttempts. One failing email never stops
 * the others or the sweep. An email whose sender died mid-send is not retried: it may have
 * gone out, and "at most once" matters more than "at least once" for a reminder.
 */
export async function deliverEmails(options: DeliveryOptions): Promise<DeliverySummary> {
  const { now, mailer, appUrl, batchSize, maxAttempts } = options;
  await prisma.$executeRaw`
    UPDATE "EmailMessage" SET status = 'FAILED', "lastError" = 'Interrupted while sending; not retried to avoid a duplicate.',
      attempts = GREATEST(attempts, ${maxAttempts})
    WHERE status = 'SENDING' AND "claimedAt" < ${new Date(now.getTime() - LEASE_MS)}`;

  const summary: DeliverySummary = { sent: 0, stored: 0, failed: 0 };
  for (;;) {
    const claimed = await prisma.$queryRaw<{ id: string }[]>`
      UPDATE "EmailMessage" e SET status = 'SENDING', "claimedAt" = ${now}, attempts = e.attempts + 1
      WHERE e.id IN (
        SELECT id FROM "EmailMessage"
        WHERE status IN ('PENDING', 'FAILED') AND attempts < ${maxAttempts} AND "nextAttemptAt" <= ${now}
        ORDER BY "createdAt"
        LIMIT ${batchSize}
        FOR UPDATE SKIP LOCKED
      )
      RETURNING e.id`;
    if (claimed.length === 0) return summary;
    for (const { id } of claimed) {
      const outcome = await deliverOne(id, mailer, appUrl, now);
      summary[outcome] += 1;
    }
  }
}

async function deliverOne(id: string, mailer: Mailer, appUrl: string, now: Date): Promise<keyof DeliverySummary> {
  const email = await prisma.emailMessage.findUniqueOrThrow({
    where: { id },
    select: {
      toAddress: true,
      kind: true,
      windowDays: true,
      attempts: true,
      user: { select: { name: true, timeZone: true } },
      notifications: {
        orderBy: { keyExpiresAt: "asc" },
        select: { keyId: true, keyName: true, keyMasked: true, keyExpiresAt: true, reason: true, note: true },
      },
    },
  });
  const items: NoticeItem[] = email.notifications;
  const rendered = renderEmail(email.user, { kind: email.kind, windowDays: email.windowDays, items }, appUrl, now);
  try {
    const messageId = await mailer.send(email.toAddress, rendered);
    const status = mailer.transport === "outbox" ? "STORED" : "SENT";
    await prisma.emailMessage.update({
      where: { id },
      data: { ...rendered, status, transport: mailer.transport, messageId, sentAt: new Date(), lastError: null },
    });
    return status === "STORED" ? "stored" : "sent";
  } catch (error) {
    const backoffMs = 60_000 * 2 ** Math.min(email.attempts - 1, 10);
    await prisma.emailMessage.update({
      where: { id },
      data: {
        ...rendered,
        status: "FAILED",
        transport: mailer.transport,
        lastError: error instanceof Error ? error.message.slice(0, 500) : String(error),
        nextAttemptAt: new Date(now.getTime() + backoffMs),
      },
    });
    return "failed";
  }
}
