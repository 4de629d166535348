import "server-only";
import { Prisma, prisma, type BlacklistReason, type Tx } from "@/lib/db/client";
import { directDatabaseUrl } from "@/lib/db/direct-url";
import { forgetOwner, onOwnerForgotten } from "@/lib/db/owner-change";
import { env } from "@/lib/env";
import type { KeyCacheFigures } from "@/lib/metrics/registry";
import { compileAllowlist } from "@/lib/net/cidr";
import { usageRecorder } from "@/lib/usage/usage-recorder";
import type { KeyRecord, KeyRecordOwner } from "./evaluate-key";
import { KeyCache } from "./key-cache";
import { KEY_CHANGED_CHANNEL, KeyChangeListener } from "./key-change-listener";
import { OwnerNameCache } from "./owner-name-cache";

// Where verification gets key records: the in-process cache when it can be trusted, else the
// database. One per process (globalThis), shared by the verify route and the gate.

/** Bounds of the in-process key cache (README, Performance: memory). */
export const KEY_CACHE_MAX_ENTRIES = 100_000;
export const KEY_CACHE_MAX_MISSES = 10_000;
export const OWNER_NAME_CACHE_MAX_ENTRIES = 10_000;

interface Store {
  cache: KeyCache;
  listener: KeyChangeListener | null;
  /** A key cache miss: the key's row, its owner's name from the cache of names. */
  loadRecord: (hash: string) => Promise<KeyRecord | null>;
}

const globalForStore = globalThis as unknown as { keywardKeyStore?: Store };

function store(): Store {
  if (globalForStore.keywardKeyStore) return globalForStore.keywardKeyStore;
  const cache = new KeyCache({
    ttlMs: env.KEY_CACHE_TTL_MS,
    negativeTtlMs: Math.min(5000, env.KEY_CACHE_TTL_MS),
    maxEntries: KEY_CACHE_MAX_ENTRIES,
    maxMisses: KEY_CACHE_MAX_MISSES,
  });
  const owners = new OwnerNameCache({ ttlMs: env.KEY_CACHE_TTL_MS, maxEntries: OWNER_NAME_CACHE_MAX_ENTRIES });
  onOwnerForgotten((ownerId) => owners.invalidate(ownerId));
  let listener: KeyChangeListener | null = null;
  // LISTEN needs a session of its own on the server: the direct connection, never a pooler's.
  const listenUrl = directDatabaseUrl();
  if (env.KEY_CACHE_TTL_MS > 0 && env.KEY_CACHE_SYNC === "notify" && listenUrl) {
    listener = new KeyChangeListener(
      listenUrl,
      (id) => cache.invalidate(id),
      () => {
        cache.clear();
        owners.clear();
      },
      // Everything this process keeps about an owner (names here, verifiers' standing) goes.
      (ownerId) => forgetOwner(ownerId),
    );
    listener.start();
  }
  // Made once, not per verification: the hot path allocates nothing it can share.
  const ownerNames: OwnerNames = (type, id) => owners.name(type, id, Date.now(), loadOwnerName);
  const loadRecord = (hash: string) => findKeyRecord(hash, ownerNames);
  return (globalForStore.keywardKeyStore = { cache, listener, loadRecord });
}

/** The raw row: a KeyRecord with its owner, blacklist and limit columns flat (from the LEFT JOINs). */
type KeyRow = Omit<KeyRecord, "blacklist" | "owner" | "limits"> & {
  userId: string | null;
  teamId: string | null;
  ownerName?: string | null;
  reason: BlacklistReason | null;
  blacklistedAt: Date | null;
  rateLimitMax: number | null;
  rateLimitWindowSeconds: number | null;
  allowedCidrs: string[] | null;
  usageCap: bigint | null;
  usageCount: bigint;
};

const KEY_COLUMNS = Prisma.sql`k.id, k.kind, k."issuedById", k."userId", k."teamId", k.name, k.scopes, k."expiresAt", k."graceEndsAt",
  k."rateLimitMax", k."rateLimitWindowSeconds", k."allowedCidrs", k."usageCap", k."usageCount",
  b.reason, b."blacklistedAt"`;

type OwnerNames = (type: KeyRecordOwner["type"], id: string) => string | Promise<string>;

/**
 * Looks a key up by the SHA-256 of its plaintext: one unique-index probe and one round trip. Its
 * owner's name comes from `ownerNames` (the cache of names) when given, which keeps the query to
 * one index; without it, the query joins the owner for the name. Raw SQL because this is the verify
 * hot path's miss: Prisma's query building costs more CPU than the probe itself (see
 * docs/performance.md).
 */
async function findKeyRecord(hash: string, ownerNames?: OwnerNames, attempt = 1): Promise<KeyRecord | null> {
  const flushesBefore = usageRecorder.flushes;
  const [row] = ownerNames
    ? await prisma.$queryRaw<KeyRow[]>`
        SELECT ${KEY_COLUMNS}
        FROM "ApiKey" k
        LEFT JOIN "BlacklistedKey" b ON b."keyId" = k.id
        WHERE k.hash = ${hash}`
    : await prisma.$queryRaw<KeyRow[]>`
        SELECT ${KEY_COLUMNS}, COALESCE(t.name, u.name, u.email) AS "ownerName"
        FROM "ApiKey" k
        LEFT JOIN "BlacklistedKey" b ON b."keyId" = k.id
        LEFT JOIN "User" u ON u.id = k."userId"
        LEFT JOIN "Team" t ON t.id = k."teamId"
        WHERE k.hash = ${hash}`;
  if (!row) return null;
  // A capped key's count is the row's figure plus the uses not yet written. A flush that finished
  // while the row was read may have written uses the row does not show and "unwritten" no longer
  // holds: read it again (a flush that commits but has not finished yet is counted twice: the cap
  // errs on the side of refusing, never of letting a use past it).
  if (row.usageCap !== null && usageRecorder.flushes !== flushesBefore && attempt < 3)
    return findKeyRecord(hash, ownerNames, attempt + 1);
  const {
    reason,
    blacklistedAt,
    userId,
    teamId,
    ownerName,
    rateLimitMax,
    rateLimitWindowSeconds,
    allowedCidrs,
    usageCap,
    usageCount,
    ...key
  } = row;
  const [type, id] = teamId ? (["team", teamId] as const) : (["user", userId!] as const);
  const owner = { type, id, name: ownerNames ? await ownerNames(type, id) : (ownerName ?? "") };
  const limits = {
    rate:
      rateLimitMax !== null && rateLimitWindowSeconds !== null
        ? { max: rateLimitMax, windowSeconds: rateLimitWindowSeconds }
        : null,
    allowIp: allowedCidrs && allowedCidrs.length > 0 ? compileAllowlist(allowedCidrs) : null,
    usageCap: usageCap === null ? null : Number(usageCap),
    // Taken together with the row, not at the key's first use: a usage flush in between would
    // move uses from "unwritten" into a database figure this record no longer reads (see above).
    usageCount: Number(usageCount) + usageRecorder.unwritten(key.id),
  };
  return { ...key, owner, limits, blacklist: reason && blacklistedAt ? { reason, at: blacklistedAt } : null };
}

/** A person's name (else address) or a team's name, as of now. */
async function loadOwnerName(type: KeyRecordOwner["type"], id: string): Promise<string> {
  const [row] =
    type === "team"
      ? await prisma.$queryRaw<{ name: string }[]>`SELECT name FROM "Team" WHERE id = ${id}`
      : await prisma.$queryRaw<{ name: string }[]>`SELECT COALESCE(name, email) AS name FROM "User" WHERE id = ${id}`;
  return row?.name ?? "";
}

/** Makes the store now (at start-up): its LISTEN connection is up before the first verification needs it. */
export function startKeyStore(): void {
  store();
}

/** The key cache's figures, for the metrics endpoint (lib/metrics). */
export function keyCacheFigures(): KeyCacheFigures {
  const { cache, listener } = store();
  return {
    size: cache.size,
    negativeSize: cache.missCount,
    hits: cache.hits,
    misses: cache.loads,
    listening: listener ? listener.connected : null,
  };
}

/** Whether the LISTEN connection that keeps the cache in sync is needed and up (readiness): null when not needed. */
export function keyCacheListening(): boolean | null {
  const listener = store().listener;
  return listener ? listener.connected : null;
}

/** Whether caches of key data may be used now: on, and in sync with the other instances. */
export function keyCacheTrusted(): boolean {
  return env.KEY_CACHE_TTL_MS > 0 && (env.KEY_CACHE_SYNC === "local" || store().listener?.connected === true);
}

/** The cached record for a hash, at once (undefined: not cached, or the cache is not to be trusted now). */
export function cachedKeyRecord(hash: string, now: number): KeyRecord | null | undefined {
  return keyCacheTrusted() ? store().cache.get(hash, now) : undefined;
}

/**
 * The record for a hash, from the caches when they are on and in sync, else straight from the
 * database.
 */
export function lookupKeyRecord(hash: string): Promise<KeyRecord | null> {
  const { cache, loadRecord } = store();
  return keyCacheTrusted() ? cache.load(hash, Date.now(), loadRecord) : findKeyRecord(hash);
}

/**
 * Announces a change to a key inside the transaction that makes it: other instances drop their
 * cached copy when it commits (NOTIFY is transactional).
 */
export async function announceKeyChange(tx: Tx, keyId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_notify(${KEY_CHANGED_CHANNEL}, ${keyId})`;
}

/** Drops this instance's cached copy at once (after the change committed). */
export function forgetKey(keyId: string): void {
  globalForStore.keywardKeyStore?.cache.invalidate(keyId);
}
