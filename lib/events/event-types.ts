// What happens to a key, as Keyward tells the world about it: the lifecycle event types, and the
// payload each one carries (in webhooks, in the OpenAPI document, in the outbox). A key is
// described by id, name, display prefix, owner, expiry: never its plaintext or its hash.
import { z } from "zod";

export const KEY_EVENT_TYPES = [
  "key.created",
  "key.expiring",
  "key.idle",
  "key.expired",
  "key.revoked",
  "key.leaked",
  "key.rotated",
  "key.grace_ended",
] as const;
export type KeyEventType = (typeof KEY_EVENT_TYPES)[number];

/**
 * An API token's events (lib/tokens): the same lifecycle under the `token.` name. The code records
 * every event by its key.* name; the row's kind picks the name it is stored and sent under
 * (event-sql.ts), so the sweep's statements serve keys and tokens alike.
 */
export const TOKEN_EVENT_TYPES = [
  "token.created",
  "token.expiring",
  "token.idle",
  "token.expired",
  "token.revoked",
  "token.leaked",
  "token.rotated",
  "token.grace_ended",
] as const satisfies readonly `token.${KeyEventType extends `key.${infer Rest}` ? Rest : never}`[];
export type TokenEventType = (typeof TOKEN_EVENT_TYPES)[number];

/** The name an event of a key's lifecycle has for an API token. */
export const tokenEventType = (type: KeyEventType): TokenEventType => type.replace("key.", "token.") as TokenEventType;

/** Every event a webhook endpoint may subscribe to. */
export const EVENT_TYPES = [...KEY_EVENT_TYPES, ...TOKEN_EVENT_TYPES] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const ZKeyEventType = z.enum(EVENT_TYPES);

export const ZEventKey = z.object({
  id: z.string().describe("The key's id"),
  name: z.string(),
  prefix: z.string().describe('Display prefix: the key prefix and the first 4 random characters, e.g. "kw_Ab3x"'),
  last4: z.string().describe("The key's last 4 characters"),
  owner: z.object({ type: z.enum(["user", "team"]), id: z.string() }).describe("Who owns the key"),
  scopes: z.array(z.string()),
  expiresAt: z.iso.datetime().nullable().describe("null: never expires"),
});
export type TEventKey = z.infer<typeof ZEventKey>;

/** The `data` of each event type: the key (or token), and what is particular to the event. */
export const ZKeyEventData = z.object({
  key: ZEventKey,
  /** key.expiring / key.idle: the reminder window the key entered (days before expiry, or before it is disabled as idle). */
  windowDays: z.number().int().optional(),
  /**
   * key.revoked / key.leaked / key.expired / key.grace_ended: why the key stopped working. IDLE: the
   * sweep revoked it because it was not used for KEY_IDLE_DAYS (a key.revoked event).
   */
  reason: z.enum(["EXPIRED", "REVOKED", "LEAKED", "ROTATED", "IDLE"]).optional(),
  /** key.idle / key.revoked (IDLE): the key's last successful verification (null: never used). */
  lastUsedAt: z.iso.datetime().nullable().optional(),
  /** key.idle / key.revoked (IDLE): since when the key is unused (its last use, or its creation). */
  idleSince: z.iso.datetime().optional(),
  /** key.idle: when the sweep disables the key (blacklisted IDLE) unless it is used before. */
  disablesAt: z.iso.datetime().optional(),
  /** key.idle / key.revoked (IDLE): the site's KEY_IDLE_DAYS when it was recorded. */
  idleDays: z.number().int().optional(),
  /** A human note (an admin's, or where a leak was found). */
  note: z.string().nullable().optional(),
  /**
   * key.rotated: the key that replaced this one; key.expiring of a rotated key still working: its
   * replacement; key.created by rotation: the key it replaces.
   */
  replacedBy: z.string().nullable().optional(),
  replaces: z.string().nullable().optional(),
  /**
   * key.rotated: until when the old key keeps working (null: it stopped at once). key.expiring of a
   * rotated key: its grace end (null: it works until key.expiresAt); the key stops at the earlier.
   */
  graceEndsAt: z.iso.datetime().nullable().optional(),
});
export type TKeyEventData = z.infer<typeof ZKeyEventData>;

/** A webhook's body (Standard Webhooks: type, timestamp, data); its id is the webhook-id header. */
export const ZKeyEventPayload = z.object({
  type: ZKeyEventType,
  timestamp: z.iso.datetime(),
  data: ZKeyEventData,
});
export type TKeyEventPayload = z.infer<typeof ZKeyEventPayload>;
