import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { zId } from "@/lib/api/text";
import { prisma } from "@/lib/db/client";
import { env } from "@/lib/env";
import { KeywardError, notFound } from "@/lib/errors";
import { webhookOwnedBy, type Caller } from "./endpoints";
import { openSecret, UnreadableSecretError } from "./secrets";
import { postWebhook } from "./send";
import { webhookHeaders } from "./sign";

/** A delivery of an endpoint: both ids are record ids, or the path names nothing (404). */
export const ZDeliveryParams = z.object({ id: zId, deliveryId: zId });

export const ZListDeliveriesQuery = z.strictObject({
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export interface WebhookDeliveryView {
  id: string;
  eventId: string | null;
  eventType: string;
  keyId: string | null;
  status: string;
  attempts: number;
  responseStatus: number | null;
  lastError: string | null;
  durationMs: number | null;
  createdAt: string;
  lastAttemptAt: string | null;
  /** When the next attempt is due (null when it will not be retried). */
  nextAttemptAt: string | null;
}

/** An endpoint's deliveries, newest first. */
export async function listDeliveries(caller: Caller, endpointId: string, query: z.input<typeof ZListDeliveriesQuery>) {
  await webhookOwnedBy(caller, endpointId);
  const { page, pageSize } = ZListDeliveriesQuery.parse(query);
  const rows = await prisma.webhookDelivery.findMany({
    where: { endpointId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    skip: (page - 1) * pageSize,
    take: pageSize + 1,
    include: { event: { select: { type: true, keyId: true } } },
  });
  const items: WebhookDeliveryView[] = rows.slice(0, pageSize).map((d) => ({
    id: d.id,
    eventId: d.eventId,
    eventType: d.event ? (EVENT_NAMES[d.event.type] ?? d.event.type) : "webhook.test",
    keyId: d.event?.keyId ?? null,
    status: d.status,
    attempts: d.attempts,
    responseStatus: d.responseStatus,
    lastError: d.lastError,
    durationMs: d.durationMs,
    createdAt: d.createdAt.toISOString(),
    lastAttemptAt: d.lastAttemptAt?.toISOString() ?? null,
    nextAttemptAt: d.status === "PENDING" || d.status === "FAILED" ? d.nextAttemptAt.toISOString() : null,
  }));
  return { items, page, pageSize, total: null, hasNext: rows.length > pageSize };
}

const EVENT_NAMES: Record<string, string> = {
  CREATED: "key.created",
  EXPIRING: "key.expiring",
  IDLE: "key.idle",
  EXPIRED: "key.expired",
  REVOKED: "key.revoked",
  LEAKED: "key.leaked",
  ROTATED: "key.rotated",
  GRACE_ENDED: "key.grace_ended",
};

/** Sends a delivery again as soon as the dispatcher runs (after a fix on the receiving side). */
export async function redeliver(caller: Caller, endpointId: string, deliveryId: string): Promise<void> {
  await webhookOwnedBy(caller, endpointId);
  const { count } = await prisma.webhookDelivery.updateMany({
    where: { id: deliveryId, endpointId, eventId: { not: null }, status: { not: "SENDING" } },
    data: { status: "PENDING", nextAttemptAt: new Date(), lastError: null },
  });
  if (count === 0) throw notFound("No such delivery (or it is being sent right now).");
}

/**
 * Sends a test event now and answers how it went; it is listed with the deliveries, and never
 * retried. The payload says it is a test, and names no key.
 */
export async function sendTestEvent(caller: Caller, endpointId: string): Promise<WebhookDeliveryView> {
  await webhookOwnedBy(caller, endpointId);
  const endpoint = await prisma.webhookEndpoint.findUniqueOrThrow({
    where: { id: endpointId },
    select: { url: true, secretBox: true },
  });
  const id = randomUUID();
  const payload = {
    type: "webhook.test",
    timestamp: new Date().toISOString(),
    data: { endpointId, message: "A test event from Keyward." },
  };
  const body = JSON.stringify(payload);
  let secret: string;
  try {
    secret = openSecret(endpoint.secretBox);
  } catch (error) {
    if (error instanceof UnreadableSecretError) throw new KeywardError("CONFLICT", error.message);
    throw error;
  }
  const result = await postWebhook(
    endpoint.url,
    webhookHeaders([secret], id, Math.floor(Date.now() / 1000), body),
    body,
    env.WEBHOOK_ALLOW_PRIVATE,
  );
  const now = new Date();
  const row = await prisma.webhookDelivery.create({
    data: {
      id,
      endpointId,
      testPayload: payload,
      status: result.ok ? "SUCCEEDED" : "GAVE_UP",
      attempts: 1,
      responseStatus: result.status,
      lastError: result.error,
      durationMs: result.durationMs,
      lastAttemptAt: now,
      deliveredAt: result.ok ? now : null,
    },
  });
  return {
    id: row.id,
    eventId: null,
    eventType: "webhook.test",
    keyId: null,
    status: row.status,
    attempts: 1,
    responseStatus: row.responseStatus,
    lastError: row.lastError,
    durationMs: row.durationMs,
    createdAt: row.createdAt.toISOString(),
    lastAttemptAt: now.toISOString(),
    nextAttemptAt: null,
  };
}
