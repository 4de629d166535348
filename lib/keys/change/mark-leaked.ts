import "server-only";
import type { Actor } from "@/lib/audit/record-audit";
import { Prisma, prisma } from "@/lib/db/client";
import { env } from "@/lib/env";
import { insertEventsSql } from "@/lib/events/event-sql";
import { eventsRecorded } from "@/lib/events/events-recorded";
import { hashKey, isKeywardSecret } from "../format";
import { KEY_CHANGED_CHANNEL } from "../check/key-change-listener";
import { forgetKey } from "../check/key-store";

export interface LeakReport {
  /** The string found, as found: it is hashed for the lookup and never stored. */
  token: string;
  /** Where it was found (a public URL), kept in the blacklist note. */
  url: string | null;
}

export interface LeakVerdict {
  token: string;
  /** A key issued here (active, or already refused), or a string that is no key of ours. */
  genuine: boolean;
}

/**
 * Blacklists every genuine key among the reports as LEAKED, at once, however many there are (a
 * secret scanner sends batches of a thousand): one lookup, one statement that writes the
 * blacklist rows (an earlier, milder verdict is replaced), the key.leaked events and the audit
 * rows, then every instance drops the keys from its cache. A key already blacklisted as LEAKED
 * is left as it is, and still genuine.
 */
export async function markLeaked(reports: LeakReport[], actor: Actor, source: string): Promise<LeakVerdict[]> {
  // Keys and API tokens alike: a leaked token is revoked at once too.
  const candidates = reports.filter((r) => isKeywardSecret(r.token, env.KEY_PREFIX));
  const byHash = new Map<string, LeakReport>();
  for (const report of candidates) if (!byHash.has(hashKey(report.token))) byHash.set(hashKey(report.token), report);
  const hashes = [...byHash.keys()];
  const notes = hashes.map((h) => {
    const url = byHash.get(h)!.url;
    return `Reported by ${source}${url ? `: ${url}` : ""}`.slice(0, 500);
  });
  const found =
    hashes.length === 0
      ? []
      : await prisma.$queryRaw<{ id: string; hash: string; changed: boolean }[]>`
    WITH reported AS (
      SELECT k.id, k.hash, r.note FROM unnest(${hashes}::text[], ${notes}::text[]) AS r(hash, note) JOIN "ApiKey" k ON k.hash = r.hash
    ), written AS (
      INSERT INTO "BlacklistedKey" ("keyId", reason, "blacklistedAt", "actorId", "actorLabel", note)
      SELECT id, 'LEAKED', now(), ${actor.id}, ${actor.label}, note FROM reported
      ON CONFLICT ("keyId") DO UPDATE SET reason = 'LEAKED', "blacklistedAt" = now(), "actorId" = EXCLUDED."actorId",
        "actorLabel" = EXCLUDED."actorLabel", note = EXCLUDED.note
        WHERE "BlacklistedKey".reason <> 'LEAKED'
      RETURNING "keyId"
    ), events AS (${insertEventsSql(
      {
        type: "key.leaked",
        dedupeKey: Prisma.sql`'leaked:' || k.id`,
        actorId: actor.id,
        actorLabel: actor.label,
        occurredAt: new Date(),
        extra: Prisma.sql`jsonb_build_object('reason', 'LEAKED', 'note', r.note)`,
      },
      Prisma.sql`FROM written w JOIN "ApiKey" k ON k.id = w."keyId" JOIN reported r ON r.id = w."keyId"`,
    )}), audited AS (
      INSERT INTO "AuditEvent" (id, at, "actorId", "actorLabel", action, "keyId", ip, detail)
      SELECT gen_random_uuid()::text, now(), ${actor.id}, ${actor.label}, 'key.blacklisted', r.id, ${actor.ip},
             jsonb_build_object('reason', 'LEAKED', 'via', ${source}::text, 'note', r.note)
      FROM reported r JOIN written w ON w."keyId" = r.id
      RETURNING 1
    ), announced AS (SELECT pg_notify(${KEY_CHANGED_CHANNEL}, "keyId") FROM written)
    SELECT r.id, r.hash, EXISTS (SELECT 1 FROM written w WHERE w."keyId" = r.id) AS changed
    FROM reported r, (SELECT count(*) FROM events) e, (SELECT count(*) FROM audited) a, (SELECT count(*) FROM announced) n`;
  const changed = found.filter((f) => f.changed);
  for (const key of changed) forgetKey(key.id);
  if (changed.length) eventsRecorded();
  const genuine = new Set(found.map((f) => f.hash));
  return reports.map((r) => ({
    token: r.token,
    genuine: isKeywardSecret(r.token, env.KEY_PREFIX) && genuine.has(hashKey(r.token)),
  }));
}
