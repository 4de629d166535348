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

/** `INSERT INTO "KeyEvent" … SELECT … FROM <from>` for keys aliased `k` in `from`. */
export function insertEventsSql(e: EventRowSql, from: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO "KeyEvent" (id, type, "keyId", "userId", "teamId", "actorId", "actorLabel", "occurredAt", data, "dedupeKey", "noticedAt")
    SELECT gen_random_uuid()::text, ${e.type}::"KeyEventType", k.id, k."userId", k."teamId", ${e.actorId}, ${e.actorLabel}, ${e.occurredAt},
           ${eventDataSql(e.extra)}, ${e.dedupeKey}, ${e.noticed ? e.occurredAt : null}::timestamptz
    ${from}
    ON CONFLICT ("dedupeKey") DO NOTHING
    RETURNING *`;
}
