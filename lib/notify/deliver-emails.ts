import "server-only";
import { prisma } from "@/lib/db/client";
import type { Mailer } from "./mailer";
import { isNoticeKind, type NoticeItem } from "./notice-text";
import { renderEmail, type RenderedEmail } from "./render-email";

export interface DeliveryOptions {
  now: Date;
  mailer: Mailer;
  appUrl: string;
  batchSize: number;
  maxAttempts: number;
  /**
   * Called after each claim and each send: SMTP can be slow, and the sweep shows it is alive.
   * Must not throw (a throw mid-batch would leave that batch's sent emails unrecorded).
   */
  onProgress?: () => Promise<void>;
  /** Only these emails (an account email sent at once, rather than by the next sweep). */
  ids?: string[];
  /** Asked before each batch is claimed: true stops (the sweep's time budget); the rest waits for the next run. */
  shouldStop?: () => boolean;
}

export interface DeliverySummary {
  sent: number;
  stored: number;
  failed: number;
}

/** A claim older than this belonged to a sweep that died mid-send. */
const LEASE_MS = 10 * 60_000;
/** Keys listed in one email; the rest are counted, with a link to the list. */
const EMAIL_LIST_LIMIT = 50;
/** SMTP sends in flight at once: enough to hide latency, few enough not to trip rate limits. */
const SEND_CONCURRENCY = 4;

/**
 * Sends queued emails: claim (status SENDING, one statement, SKIP LOCKED), send, mark SENT, or
 * FAILED with a backoff for the next sweep, up to maxAttempts. One failing email never stops
 * the others or the sweep. An email whose sender died mid-send is not retried: it may have
 * gone out, and "at most once" matters more than "at least once" for a reminder.
 */
export async function deliverEmails(options: DeliveryOptions): Promise<DeliverySummary> {
  const {
    now,
    mailer,
    appUrl,
    batchSize,
    maxAttempts,
    onProgress = async () => undefined,
    ids = null,
    shouldStop = () => false,
  } = options;
  await prisma.$executeRaw`
    UPDATE "EmailMessage" SET status = 'FAILED', "lastError" = 'Interrupted while sending; not retried to avoid a duplicate.',
      attempts = GREATEST(attempts, ${maxAttempts})
    WHERE status = 'SENDING' AND "claimedAt" < ${new Date(now.getTime() - LEASE_MS)}`;

  const summary: DeliverySummary = { sent: 0, stored: 0, failed: 0 };
  for (;;) {
    if (shouldStop()) return summary;
    const claimed = await prisma.$queryRaw<{ id: string }[]>`
      UPDATE "EmailMessage" e SET status = 'SENDING', "claimedAt" = ${now}, attempts = e.attempts + 1
      WHERE e.id IN (
        SELECT id FROM "EmailMessage"
        WHERE status IN ('PENDING', 'FAILED') AND attempts < ${maxAttempts} AND "nextAttemptAt" <= ${now}
          AND (${ids}::text[] IS NULL OR id = ANY(${ids}::text[]))
        ORDER BY "createdAt"
        LIMIT ${batchSize}
        FOR UPDATE SKIP LOCKED
      )
      RETURNING e.id`;
    if (claimed.length === 0) return summary;
    await onProgress();
    const outcomes = await sendBatch(
      claimed.map((c) => c.id),
      mailer,
      appUrl,
      now,
      onProgress,
    );
    await recordOutcomes(outcomes, mailer.transport);
    for (const outcome of outcomes)
      summary[outcome.status === "SENT" ? "sent" : outcome.status === "STORED" ? "stored" : "failed"] += 1;
  }
}

interface Outcome {
  id: string;
  status: "SENT" | "STORED" | "FAILED";
  email: RenderedEmail;
  messageId: string | null;
  error: string | null;
  nextAttemptAt: Date;
}

/** Renders and sends one claimed batch: one query to load it, a few SMTP sends at a time. */
async function sendBatch(
  ids: string[],
  mailer: Mailer,
  appUrl: string,
  now: Date,
  onProgress: () => Promise<void>,
): Promise<Outcome[]> {
  const emails = await prisma.emailMessage.findMany({
    where: { id: { in: ids } },
    select: {
      id: true,
      toAddress: true,
      kind: true,
      windowDays: true,
      attempts: true,
      subject: true,
      text: true,
      html: true,
      user: { select: { name: true, timeZone: true } },
      notifications: {
        // Personal keys first, then each team's, as the email groups them.
        orderBy: [{ keyOwner: { sort: "asc", nulls: "first" } }, { keyExpiresAt: "asc" }],
        take: EMAIL_LIST_LIMIT,
        select: {
          keyId: true,
          keyName: true,
          keyMasked: true,
          keyKind: true,
          keyExpiresAt: true,
          keyIdleSince: true,
          reason: true,
          note: true,
          keyOwner: true,
        },
      },
      _count: { select: { notifications: true } },
    },
  });
  const outcomes: Outcome[] = [];
  const queue = [...emails];
  const worker = async () => {
    for (let email = queue.shift(); email; email = queue.shift()) {
      const items: NoticeItem[] = email.notifications;
      const more = email._count.notifications - items.length;
      // Notice emails are rendered when sent (their keys may have changed); account emails were
      // written whole when queued (lib/notify/account-emails.ts).
      const rendered = isNoticeKind(email.kind)
        ? renderEmail(email.user, { kind: email.kind, windowDays: email.windowDays, items, more }, appUrl, now)
        : { subject: email.subject ?? "", text: email.text ?? "", html: email.html ?? "" };
      try {
        const messageId = await mailer.send(email.toAddress, rendered);
        const status = mailer.transport === "outbox" ? "STORED" : "SENT";
        outcomes.push({ id: email.id, status, email: rendered, messageId, error: null, nextAttemptAt: now });
      } catch (error) {
        // Backoff for the next sweep: 1, 2, 4 … minutes.
        const backoffMs = 60_000 * 2 ** Math.min(email.attempts - 1, 10);
        const message = error instanceof Error ? error.message.slice(0, 500) : String(error);
        outcomes.push({
          id: email.id,
          status: "FAILED",
          email: rendered,
          messageId: null,
          error: message,
          nextAttemptAt: new Date(now.getTime() + backoffMs),
        });
      }
      await onProgress();
    }
  };
  await Promise.all(Array.from({ length: Math.min(SEND_CONCURRENCY, emails.length) }, worker));
  return outcomes;
}

/** Writes a batch's outcomes in one statement. */
async function recordOutcomes(outcomes: Outcome[], transport: Mailer["transport"]): Promise<void> {
  if (outcomes.length === 0) return;
  const col = <T>(pick: (o: Outcome) => T) => outcomes.map(pick);
  await prisma.$executeRaw`
    UPDATE "EmailMessage" e SET
      status = o.status::"EmailStatus", transport = ${transport}, subject = o.subject, text = o.text, html = o.html,
      "messageId" = o.message_id, "lastError" = o.error, "nextAttemptAt" = o.next_at,
      "sentAt" = CASE WHEN o.status = 'FAILED' THEN e."sentAt" ELSE now() END
    FROM unnest(
      ${col((o) => o.id)}::text[], ${col((o) => o.status)}::text[], ${col((o) => o.email.subject)}::text[],
      ${col((o) => o.email.text)}::text[], ${col((o) => o.email.html)}::text[], ${col((o) => o.messageId)}::text[],
      ${col((o) => o.error)}::text[], ${col((o) => o.nextAttemptAt.toISOString())}::timestamptz[]
    ) AS o(id, status, subject, text, html, message_id, error, next_at)
    WHERE e.id = o.id`;
}
