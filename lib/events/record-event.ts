import "server-only";
import type { Actor } from "@/lib/audit/record-audit";
import { Prisma, type Tx } from "@/lib/db/client";
import { insertEventsSql } from "./event-sql";
import type { KeyEventType } from "./event-types";

// The one place a single change records its key event, inside the change's transaction: the
// event exists exactly when the change does. Call eventsRecorded() once the transaction commits.

const DEDUPE: Record<KeyEventType, (keyId: string) => string> = {
  "key.created": (id) => `created:${id}`,
  "key.expiring": (id) => `expiring:${id}`, // the sweep records these, per window
  "key.idle": (id) => `idle:${id}`, // the sweep records these, per window and idle spell
  "key.expired": (id) => `expired:${id}`,
  "key.revoked": (id) => `revoked:${id}`,
  "key.leaked": (id) => `leaked:${id}`,
  "key.rotated": (id) => `rotated:${id}`,
  "key.grace_ended": (id) => `grace_ended:${id}`,
};

export interface EventDetails {
  reason?: "EXPIRED" | "REVOKED" | "LEAKED" | "ROTATED";
  note?: string | null;
  replacedBy?: string;
  replaces?: string;
  graceEndsAt?: Date | null;
}

/** Records one key's event from its current row; returns whether it was new (not a repeat). */
export async function recordKeyEvent(
  tx: Tx,
  type: KeyEventType,
  keyId: string,
  actor: Actor,
  details: EventDetails = {},
): Promise<boolean> {
  const extra = Prisma.sql`${JSON.stringify({
    ...(details.reason ? { reason: details.reason } : {}),
    ...(details.note !== undefined ? { note: details.note } : {}),
    ...(details.replacedBy ? { replacedBy: details.replacedBy } : {}),
    ...(details.replaces ? { replaces: details.replaces } : {}),
    ...(details.graceEndsAt !== undefined ? { graceEndsAt: details.graceEndsAt?.toISOString() ?? null } : {}),
  })}::jsonb`;
  const rows = await tx.$queryRaw<unknown[]>(
    insertEventsSql(
      {
        type,
        dedupeKey: Prisma.sql`${DEDUPE[type](keyId)}`,
        actorId: actor.id,
        actorLabel: actor.label,
        occurredAt: new Date(),
        extra,
      },
      Prisma.sql`FROM "ApiKey" k WHERE k.id = ${keyId}`,
    ),
  );
  return rows.length > 0;
}
