import "server-only";
import { prisma } from "@/lib/db/client";
import { onOwnerForgotten } from "@/lib/db/owner-change";
import { env } from "@/lib/env";
import { KeywardError } from "@/lib/errors";
import type { KeyRecordOwner } from "@/lib/keys/check/evaluate-key";
import { hashKey } from "@/lib/keys/format";
import { cachedKeyRecord, keyCacheTrusted } from "@/lib/keys/check/key-store";
import type { Verifier, VerifierReach } from "@/lib/keys/check/verifier-reach";
import { workingTokenRecord } from "./authenticate-token";
import { noteTokenUse } from "./token-use";

// A service that verifies keys with an API token (scope `verify`) is a verifier: Keyward knows
// who asked, answers only for the keys of whoever owns the token (a site admin's token for every
// key, a team's for that team's, a person's for their own; any other key is NOT_FOUND, so one
// tenant's service cannot probe another's keys), trusts the `ip` it names, and counts it against
// a budget of its own. This runs on every verification: the token comes from the keys' cache
// (revocation reaches every instance through LISTEN/NOTIFY), and its holder's standing (an
// admin? a team whose maker still administers it?) from a small cache of its own, dropped for an
// owner the moment a change to them is announced (a demotion, a removal, a team deleted).

interface Standing {
  reach: VerifierReach;
  /** The people and team this standing was read from: a change to any of them drops it. */
  about: string[];
  until: number;
}

/** Verifier tokens whose standing is remembered per instance; past it the oldest are forgotten. */
const MAX_STANDINGS = 10_000;

const KEY = Symbol.for("keyward.verifier-standing");
function standings(): Map<string, Standing> {
  const holder = globalThis as { [KEY]?: Map<string, Standing> };
  if (!holder[KEY]) {
    const map = new Map<string, Standing>();
    holder[KEY] = map;
    onOwnerForgotten((ownerId) => {
      for (const [tokenId, standing] of map) if (standing.about.includes(ownerId)) map.delete(tokenId);
    });
  }
  return holder[KEY];
}

const revoked = (why: string) => new KeywardError("REVOKED", why);

async function loadStanding(owner: KeyRecordOwner, issuedById: string | null): Promise<Omit<Standing, "until">> {
  if (owner.type === "user") {
    const user = await prisma.user.findUnique({ where: { id: owner.id }, select: { role: true, deletedAt: true } });
    if (!user || user.deletedAt) throw revoked("This API token's account was deleted.");
    return { reach: user.role === "ADMIN" ? { all: true } : { userId: owner.id }, about: [owner.id] };
  }
  const [team] = await prisma.$queryRaw<{ deletedAt: Date | null; makerMay: boolean }[]>`
    SELECT t."deletedAt", EXISTS (SELECT 1 FROM "TeamMember" m JOIN "User" u ON u.id = m."userId"
      WHERE m."teamId" = t.id AND m."userId" = ${issuedById} AND m.role IN ('OWNER', 'ADMIN') AND u."deletedAt" IS NULL) AS "makerMay"
    FROM "Team" t WHERE t.id = ${owner.id}`;
  if (!team || team.deletedAt) throw revoked("This API token's team was deleted.");
  if (!team.makerMay) throw revoked("This team API token's maker is no longer an owner or admin of the team.");
  return { reach: { teamId: owner.id }, about: [owner.id, ...(issuedById ? [issuedById] : [])] };
}

/**
 * Verifier tokens' hashes by plaintext, for the ones that worked: a service sends the same token
 * with every verification, and hashing it each time is most of what checking it costs. Bounded:
 * past it the oldest are forgotten (and hashed again on their next use).
 */
const MAX_HASHES = 10_000;
const HASHES = Symbol.for("keyward.verifier-hashes");
const hashes: Map<string, string> = ((globalThis as { [HASHES]?: Map<string, string> })[HASHES] ??= new Map());

/**
 * The verifier at once, when everything about it is cached and still holds: its record (dropped
 * on every instance the moment it changes), working now, with the scope, and its holder's
 * standing. Otherwise null, and verifierFor takes the long way (which also says why it fails).
 */
function cachedVerifier(plaintext: string, now: number): Verifier | null {
  const hash = hashes.get(plaintext);
  if (hash === undefined) return null;
  const record = cachedKeyRecord(hash, now);
  if (!record || record.kind !== "TOKEN" || record.blacklist !== null || !record.scopes.includes("verify")) return null;
  if (
    (record.expiresAt !== null && record.expiresAt.getTime() <= now) ||
    (record.graceEndsAt !== null && record.graceEndsAt.getTime() <= now)
  )
    return null;
  const standing = standings().get(record.id);
  if (!standing || standing.until <= now) return null;
  return { tokenId: record.id, reach: standing.reach };
}

/**
 * The verifier behind `Authorization: Bearer <token>` on the verify route; a 401 for a token that
 * does not work (or whose holder no longer stands), a 403 for one without the `verify` scope.
 */
export async function verifierFor(plaintext: string, now = Date.now()): Promise<Verifier> {
  const cached = cachedVerifier(plaintext, now);
  if (cached) {
    noteTokenUse(cached.tokenId, now);
    return cached;
  }
  const record = await workingTokenRecord(plaintext);
  if (!record.scopes.includes("verify")) {
    throw new KeywardError("INSUFFICIENT_SCOPE", 'This API token lacks the scope "verify".', undefined, {
      extra: { requiredScope: "verify" },
    });
  }
  const cache = standings();
  let standing = cache.get(record.id);
  if (!standing || standing.until <= now) {
    standing = {
      ...(await loadStanding(record.owner, record.issuedById)),
      until: keyCacheTrusted() ? now + env.KEY_CACHE_TTL_MS : now,
    };
    cache.delete(record.id);
    cache.set(record.id, standing);
    if (cache.size > MAX_STANDINGS) cache.delete(cache.keys().next().value!);
  }
  if (!hashes.has(plaintext)) {
    if (hashes.size >= MAX_HASHES) hashes.delete(hashes.keys().next().value!);
    hashes.set(plaintext, hashKey(plaintext));
  }
  noteTokenUse(record.id, now);
  return { tokenId: record.id, reach: standing.reach };
}
