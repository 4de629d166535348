import "server-only";
import { Prisma } from "@/lib/db/client";
import type { KeyEventType } from "./event-types";

// The SQL that writes key events, shared by single changes (record-event.ts) and the sweep's
// set-based statements, so an event reads the same whoever records it. The payload is built
// from the key's row (alias `k`) at the moment of the change.

/** An ISO 8601 UTC timestamp, as the payload schema wants it ("…Z"), or JSON null. */
const iso = (column: Prisma.Sql) => Prisma.sql`to_jsonb(to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))`;

/** The payload's `data`: the key (never plaintext or hash), merged with the event's own fields. */
export function eventDataSql(extra: Prisma.Sql = Prisma.sql`'{}'::jsonb`): Prisma.Sql {
  return Prisma.sql`jsonb_build_object('key', jsonb_build_object(
      'id', k.id, 'name', k.name, 'prefix', k.prefix, 'last4', k.last4,
      'owner', CASE WHEN k."teamId" IS NOT NULL THEN jsonb_build_object('type', 'team', 'id', k."teamId")
                    ELSE jsonb_build_object('type', 'user', 'id', k."userId") END,
      'scopes', to_jsonb(k.scopes), 'expiresAt', ${iso(Prisma.sql`k."expiresAt"`)}
    )) || ${extra}`;
}

export { iso as isoJsonSql };

export interface EventRowSql {
  type: KeyEventType;
  /** Unique per event, e.g. 'expired:' || k.id. */
  dedupeKey: Prisma.Sql;
  actorId: string | null;
  actorLabel: string;
  occurredAt: Date;
  extra?: Prisma.Sql;
  /** Set when the statement also writes the event's notices (the sweep does). */
  noticed?: boolean;
}

/**
 * "Webhook endpoint `w` wants an event of `type`": it is enabled and subscribes to the type, and,
 * given the event's owner, it is global or that owner's (a person's or a team's). The fan-out
 * (lib/webhooks) makes one delivery per such endpoint; recording an event asks it first.
 */
export function endpointWantsSql(type: Prisma.Sql, owner?: { userId: Prisma.Sql; teamId: Prisma.Sql }): Prisma.Sql {
  const wants = Prisma.sql`w.enabled AND ${type} = ANY(w."eventTypes")`;
  if (!owner) return wants;
  return Prisma.sql`${wants} AND ((w."userId" IS NULL AND w."teamId" IS NULL) OR w."userId" = ${owner.userId} OR w."teamId" = ${owner.teamId})`;
}

/**
 * The event's fannedOutAt: null (waiting for the fan-out) when an endpoint wants it, otherwise
 * already fanned out, to no one. An endpoint gets the events recorded while it exists and is
 * enabled; one made later does not get older events. Without this, every event waited for the
 * fan-out to mark it, so a sweep that blacklists 1,000,000 keys cost the dispatcher 1,000,000
 * more row updates, in the background of verification, on a site with no endpoint at all. The
 * first test, whether any enabled endpoint takes the type, runs once per statement.
 */
function fannedOutSql(type: string, at: Date): Prisma.Sql {
  const typed = Prisma.sql`${type}::text`;
  return Prisma.sql`CASE
      WHEN NOT EXISTS (SELECT 1 FROM "WebhookEndpoint" w WHERE ${endpointWantsSql(typed)}) THEN ${at}::timestamptz
      WHEN EXISTS (SELECT 1 FROM "WebhookEndpoint" w WHERE ${endpointWantsSql(typed, { userId: Prisma.sql`k."userId"`, teamId: Prisma.sql`k."teamId"` })}) THEN NULL
      ELSE ${at}::timestamptz END`;
}

/** `INSERT INTO "KeyEvent" … SELECT … FROM <from>` for keys aliased `k` in `from`. */
export function insertEventsSql(e: EventRowSql, from: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO "KeyEvent" (id, type, "keyId", "userId", "teamId", "actorId", "actorLabel", "occurredAt", data, "dedupeKey", "noticedAt", "fannedOutAt")
    SELECT gen_random_uuid()::text, ${e.type}::"KeyEventType", k.id, k."userId", k."teamId", ${e.actorId}, ${e.actorLabel}, ${e.occurredAt},
           ${eventDataSql(e.extra)}, ${e.dedupeKey}, ${e.noticed ? e.occurredAt : null}::timestamptz, ${fannedOutSql(e.type, e.occurredAt)}
    ${from}
    ON CONFLICT ("dedupeKey") DO NOTHING
    RETURNING *`;
}
