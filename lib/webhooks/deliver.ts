import "server-only";
import { Prisma, prisma } from "@/lib/db/client";
import { env } from "@/lib/env";
import { log } from "@/lib/log/logger";
import { countWebhookDelivery } from "@/lib/metrics/registry";
import { endpointWantsSql } from "@/lib/events/event-sql";
import { ZKeyEventData, type TKeyEventPayload } from "@/lib/events/event-types";
import { endpointCreatorEntitledSql } from "@/lib/events/event-sql";
import { noticeEndpointDisabled } from "@/lib/rights/end-rights";
import { openSecret, UnreadableSecretError } from "./secrets";
import { postWebhook } from "./send";
import { webhookHeaders } from "./sign";

// Key events reach webhook endpoints at least once: each event is turned into one delivery row
// per subscribed endpoint (fan-out; an event no endpoint wanted when it was recorded is recorded
// fanned out already, lib/events), and deliveries are claimed (SKIP LOCKED, so instances share
// the work), sent, and recorded. A failure is retried with exponential backoff for 24 hours from
// the event; an endpoint whose every delivery failed for 3 days is disabled and its owner told.
// None of this runs inside verification, revocation or the sweep: the dispatcher (lib/dispatch)
// calls it in the background.

/** Deliveries are retried this long after their event. */
export const RETRY_WINDOW_MS = 24 * 3_600_000;
/** An endpoint failing this long is disabled. */
export const DISABLE_AFTER_MS = 3 * 24 * 3_600_000;
/** A delivery claimed this long ago belonged to a process that died while sending: send it again. */
const LEASE_MS = 2 * 60_000;
const MAX_BACKOFF_MS = 6 * 3_600_000;
const CONCURRENCY = 8;

/** Makes the delivery rows of events not fanned out yet, one batch; returns how many events it took. */
export async function fanOutEvents(batchSize = 500): Promise<number> {
  const [row] = await prisma.$queryRaw<{ taken: bigint }[]>`
    WITH events AS (
      SELECT id, type, "userId", "teamId", "occurredAt" FROM "KeyEvent" WHERE "fannedOutAt" IS NULL
      ORDER BY "occurredAt", id LIMIT ${batchSize} FOR UPDATE SKIP LOCKED
    ), made AS (
      INSERT INTO "WebhookDelivery" (id, "endpointId", "eventId", status, "nextAttemptAt", "createdAt")
      SELECT gen_random_uuid()::text, w.id, e.id, 'PENDING', now(), now()
      FROM events e JOIN "WebhookEndpoint" w
        ON ${endpointWantsSql(Prisma.sql`e.type::text`, { userId: Prisma.sql`e."userId"`, teamId: Prisma.sql`e."teamId"` })}
      ON CONFLICT ("endpointId", "eventId") DO NOTHING
      RETURNING 1
    ), marked AS (UPDATE "KeyEvent" SET "fannedOutAt" = now() WHERE id IN (SELECT id FROM events) RETURNING 1)
    SELECT (SELECT count(*) FROM marked) AS taken, (SELECT count(*) FROM made) AS made`;
  return Number(row?.taken ?? 0);
}

interface Claimed {
  id: string;
  endpointId: string;
  attempts: number;
  url: string;
  secretBox: string;
  previousSecretBox: string | null;
  previousSecretUntil: Date | null;
  eventId: string | null;
  type: string | null;
  occurredAt: Date | null;
  data: unknown;
  testPayload: unknown;
  /** Whether the endpoint's creator may still make it (lib/rights): if not, nothing is sent. */
  entitled: boolean;
}

/** What a delivery records when its endpoint's creator lost the right to it before it was sent. */
export const NOT_SENT_CREATOR_LOST_ACCESS = "Not sent: the endpoint's creator no longer has the right to it";

/** The body a delivery sends: the event as Standard Webhooks' {type, timestamp, data}. */
export function payloadOf(type: string, occurredAt: Date, data: unknown): TKeyEventPayload {
  return {
    type: type as TKeyEventPayload["type"],
    timestamp: occurredAt.toISOString(),
    data: ZKeyEventData.parse(data),
  };
}

export interface DeliveryRound {
  sent: number;
  failed: number;
}

/** Claims the due deliveries (up to `limit`) and sends them; one round. */
export async function deliverDueWebhooks(limit = 100, now = new Date()): Promise<DeliveryRound> {
  const claimed = await prisma.$queryRaw<Claimed[]>`
    WITH due AS (
      SELECT d.id FROM "WebhookDelivery" d
      WHERE (d.status IN ('PENDING', 'FAILED') AND d."nextAttemptAt" <= ${now})
         OR (d.status = 'SENDING' AND d."claimedAt" < ${new Date(now.getTime() - LEASE_MS)})
      ORDER BY d."nextAttemptAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED
    ), taken AS (
      UPDATE "WebhookDelivery" d SET status = 'SENDING', "claimedAt" = ${now}, attempts = d.attempts + 1
      FROM due WHERE d.id = due.id RETURNING d.*
    )
    SELECT t.id, t."endpointId", t.attempts, w.url, w."secretBox", w."previousSecretBox", w."previousSecretUntil",
           t."eventId", e.type::text AS type, e."occurredAt", e.data, t."testPayload", ${endpointCreatorEntitledSql} AS entitled
    FROM taken t JOIN "WebhookEndpoint" w ON w.id = t."endpointId" LEFT JOIN "KeyEvent" e ON e.id = t."eventId"`;
  const round: DeliveryRound = { sent: 0, failed: 0 };
  const queue = [...claimed];
  const worker = async () => {
    for (let delivery = queue.shift(); delivery; delivery = queue.shift()) {
      if (await sendOne(delivery, now)) round.sent++;
      else round.failed++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, claimed.length) }, worker));
  return round;
}

async function sendOne(d: Claimed, claimedAt: Date): Promise<boolean> {
  if (!d.entitled) {
    await recordAttempt(d, { ok: false, status: null, error: NOT_SENT_CREATOR_LOST_ACCESS, durationMs: 0 }, claimedAt, {
      final: true,
    });
    return false;
  }
  const id = d.eventId ?? d.id;
  let result: { ok: boolean; status: number | null; error: string | null; durationMs: number };
  try {
    // Built per attempt from the stored event; a payload that does not match its schema is a
    // bug, recorded on the delivery rather than left to hang in SENDING.
    const body = JSON.stringify(d.eventId ? payloadOf(d.type!, d.occurredAt!, d.data) : d.testPayload);
    const secrets = [openSecret(d.secretBox)];
    if (d.previousSecretBox && d.previousSecretUntil && d.previousSecretUntil > new Date())
      secrets.push(openSecret(d.previousSecretBox));
    const headers = webhookHeaders(secrets, id, Math.floor(Date.now() / 1000), body);
    result = await postWebhook(d.url, headers, body, env.WEBHOOK_ALLOW_PRIVATE);
  } catch (error) {
    if (!(error instanceof UnreadableSecretError))
      log.error({ err: error, deliveryId: d.id }, "a webhook delivery could not be made");
    result = {
      ok: false,
      status: null,
      error: error instanceof UnreadableSecretError ? error.message : "Keyward could not build this delivery (logged)",
      durationMs: 0,
    };
  }
  await recordAttempt(d, result, claimedAt);
  return result.ok;
}

async function recordAttempt(
  d: Claimed,
  result: { ok: boolean; status: number | null; error: string | null; durationMs: number },
  claimedAt: Date,
  { final = false } = {},
): Promise<void> {
  const now = new Date();
  if (result.ok) {
    countWebhookDelivery("succeeded");
    await prisma.$transaction([
      prisma.webhookDelivery.updateMany({
        where: { id: d.id, claimedAt },
        data: {
          status: "SUCCEEDED",
          responseStatus: result.status,
          lastError: null,
          lastAttemptAt: now,
          deliveredAt: now,
          durationMs: result.durationMs,
        },
      }),
      prisma.webhookEndpoint.update({ where: { id: d.endpointId }, data: { failingSince: null } }),
    ]);
    return;
  }
  const backoff = Math.min(env.WEBHOOK_RETRY_BASE_MS * 2 ** Math.max(0, d.attempts - 1), MAX_BACKOFF_MS);
  const origin = d.occurredAt ?? now;
  const giveUp = final || d.eventId === null || now.getTime() + backoff - origin.getTime() > RETRY_WINDOW_MS;
  countWebhookDelivery(final ? "not_sent" : giveUp ? "gave_up" : "failed");
  await prisma.webhookDelivery.updateMany({
    where: { id: d.id, claimedAt },
    data: {
      status: giveUp ? "GAVE_UP" : "FAILED",
      responseStatus: result.status,
      lastError: result.error?.slice(0, 500) ?? "failed",
      lastAttemptAt: now,
      durationMs: result.durationMs,
      nextAttemptAt: new Date(now.getTime() + backoff),
    },
  });
  // Not the receiver's failure: it must not count towards disabling the endpoint.
  if (!final) await noteFailure(d.endpointId, result.error ?? "failed", now);
}

/** Starts or continues the endpoint's failing streak; three days of it disable the endpoint. */
async function noteFailure(endpointId: string, error: string, now: Date): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const endpoint = await tx.webhookEndpoint.findUnique({
      where: { id: endpointId },
      select: { enabled: true, failingSince: true, url: true },
    });
    if (!endpoint?.enabled) return;
    if (!endpoint.failingSince) {
      await tx.webhookEndpoint.update({ where: { id: endpointId }, data: { failingSince: now } });
      return;
    }
    if (now.getTime() - endpoint.failingSince.getTime() < DISABLE_AFTER_MS) return;
    const reason = `Every delivery failed for ${DISABLE_AFTER_MS / 86_400_000} days (last: ${error.slice(0, 200)})`;
    const disabled = await tx.webhookEndpoint.update({
      where: { id: endpointId },
      data: { enabled: false, disabledAt: now, disabledReason: reason },
      select: { id: true, url: true, userId: true, teamId: true },
    });
    // Whoever looks after it now hears of it in the app and by email (not a creator who left).
    await noticeEndpointDisabled(tx, disabled, { reason: null, note: error.slice(0, 200), at: now });
    await tx.auditEvent.create({
      data: {
        actorLabel: "webhooks",
        action: "webhook.disabled",
        detail: { endpointId, url: endpoint.url, reason },
        teamId: disabled.teamId,
      },
    });
  });
}
