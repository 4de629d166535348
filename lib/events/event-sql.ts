import "server-only";
import { Prisma } from "@/lib/db/client";
import { tokenEventType, type KeyEventType } from "./event-types";

// The SQL that writes key events, shared by single changes (record-event.ts) and the sweep's
// set-based statements, so an event reads the same whoever records it. The payload is built
// from the key's row (alias `k`) at the moment of the change.

/** An ISO 8601 UTC timestamp, as the payload schema wants it ("…Z"), or JSON null. */
const iso = (column: Prisma.Sql) =>
  Prisma.sql`to_jsonb(to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))`;

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
 * "The creator of webhook endpoint `w` may still make it" (PRODUCT rule 13), as SQL: a team's
 * endpoint while its creator is an OWNER or ADMIN of that team (and the team exists), a global
 * one while its creator is a site admin, a personal one while its owner's account exists. The
 * events that an endpoint receives, and every delivery at the moment it is sent, ask this, so an
 * endpoint whose creator lost the right between a removal and its disabling still sends nothing.
 */
export const endpointCreatorEntitledSql = Prisma.sql`(CASE
    WHEN w."teamId" IS NOT NULL THEN EXISTS (
      SELECT 1 FROM "TeamMember" m JOIN "Team" t ON t.id = m."teamId"
      WHERE m."teamId" = w."teamId" AND m."userId" = w."createdById" AND m.role IN ('OWNER', 'ADMIN') AND t."deletedAt" IS NULL)
    WHEN w."userId" IS NOT NULL THEN EXISTS (SELECT 1 FROM "User" u WHERE u.id = w."userId" AND u."deletedAt" IS NULL)
    ELSE EXISTS (SELECT 1 FROM "User" u WHERE u.id = w."createdById" AND u.role = 'ADMIN' AND u."deletedAt" IS NULL)
  END)`;

/**
 * "Webhook endpoint `w` wants an event of `type`": it is enabled, subscribes to the type, and its
 * creator may still make it (above); given the event's owner, it is global or that owner's
 * (a person's or a team's). The fan-out (lib/webhooks) makes one delivery per such endpoint;
 * recording an event asks it first.
 */
export function endpointWantsSql(type: Prisma.Sql, owner?: { userId: Prisma.Sql; teamId: Prisma.Sql }): Prisma.Sql {
  return endpointTakesSql(Prisma.sql`${type} = ANY(w."eventTypes")`, owner);
}

function endpointTakesSql(subscribes: Prisma.Sql, owner?: { userId: Prisma.Sql; teamId: Prisma.Sql }): Prisma.Sql {
  const wants = Prisma.sql`w.enabled AND ${subscribes} AND ${endpointCreatorEntitledSql}`;
  if (!owner) return wants;
  return Prisma.sql`${wants} AND ((w."userId" IS NULL AND w."teamId" IS NULL) OR w."userId" = ${owner.userId} OR w."teamId" = ${owner.teamId})`;
}

/**
 * The event's fannedOutAt: null (waiting for the fan-out) when an endpoint wants it, otherwise
 * already fanned out, to no one. An endpoint gets the events recorded while it exists and is
 * enabled; one made later does not get older events. Without this, every event waited for the
 * fan-out to mark it, so a sweep that blacklists 1,000,000 keys cost the dispatcher 1,000,000
 * more row updates, in the background of verification, on a site with no endpoint at all. The
 * first test, whether any enabled endpoint takes the type (under a key's or a token's name), does
 * not depend on the row, so PostgreSQL runs it once per statement.
 */
function fannedOutSql(type: KeyEventType, at: Date): Prisma.Sql {
  const either = Prisma.sql`w."eventTypes" && ARRAY[${type}::text, ${tokenEventType(type)}::text]`;
  return Prisma.sql`CASE
      WHEN NOT EXISTS (SELECT 1 FROM "WebhookEndpoint" w WHERE ${endpointTakesSql(either)}) THEN ${at}::timestamptz
      WHEN EXISTS (SELECT 1 FROM "WebhookEndpoint" w WHERE ${endpointWantsSql(rowTypeSql(type), { userId: Prisma.sql`k."userId"`, teamId: Prisma.sql`k."teamId"` })}) THEN NULL
      ELSE ${at}::timestamptz END`;
}

/** The event's name for the row `k`: its key.* name, or the token.* one for an API token. */
function rowTypeSql(type: KeyEventType): Prisma.Sql {
  return Prisma.sql`(CASE WHEN k.kind = 'TOKEN' THEN ${tokenEventType(type)}::text ELSE ${type}::text END)`;
}

/** `INSERT INTO "KeyEvent" … SELECT … FROM <from>` for keys aliased `k` in `from`. */
export function insertEventsSql(e: EventRowSql, from: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO "KeyEvent" (id, type, "keyId", "userId", "teamId", "actorId", "actorLabel", "occurredAt", data, "dedupeKey", "noticedAt", "fannedOutAt")
    SELECT gen_random_uuid()::text, ${rowTypeSql(e.type)}::"KeyEventType", k.id, k."userId", k."teamId", ${e.actorId}, ${e.actorLabel}, ${e.occurredAt},
           ${eventDataSql(e.extra)}, ${e.dedupeKey}, ${e.noticed ? e.occurredAt : null}::timestamptz, ${fannedOutSql(e.type, e.occurredAt)}
    ${from}
    ON CONFLICT ("dedupeKey") DO NOTHING
    RETURNING *`;
}
