import "server-only";
import type { ApiScope } from "@/lib/api/scopes";
import { prisma } from "@/lib/db/client";
import { env } from "@/lib/env";
import { KeywardError } from "@/lib/errors";
import { evaluateKey, type KeyRecord } from "@/lib/keys/check/evaluate-key";
import { checkKeyFormat, hashKey, TOKEN_PREFIX } from "@/lib/keys/format";
import type { KeyOwner } from "@/lib/keys/key-owner";
import { lookupKeyRecord } from "@/lib/keys/check/key-store";
import { tokensUrlFor } from "@/lib/links";
import { findAuthenticatedUser, type SessionUser } from "@/lib/users/authenticate";
import { BOT_NAME } from "./team-bot";
import { noteTokenUse } from "./token-use";

// `Authorization: Bearer kwt_…` on a management route: the token, from the same cache as keys (a
// revocation reaches every instance's cache at once), then its holder as they stand now, read
// from the database on every request like a session: a person's current role, a team that still
// exists and a maker who still administers it. A token never does more than its holder may do now.

/** The token a request came with, as the routes and lib/tokens see it. */
export interface CallingToken {
  id: string;
  name: string;
  scopes: ApiScope[];
  expiresAt: Date | null;
  owner: KeyOwner;
  /** The person whose right a team token lives by (its maker); a person's token: themselves. */
  issuedById: string | null;
}

export interface TokenPrincipal {
  token: CallingToken;
  /** Who the token acts as: its owner, or its team's service account. */
  user: SessionUser;
  /** How the audit log names the actor: the token, and whose it is. */
  label: string;
}

const unauthorized = (why: string) => new KeywardError("UNAUTHORIZED", why);
const revoked = (why: string) => new KeywardError("REVOKED", why);

/** The team a team's token acts for (what its requests mean when they name no team), else undefined. */
export function actingTeam(token: CallingToken | null): string | undefined {
  return token?.owner.type === "team" ? token.owner.id : undefined;
}

/** The `Authorization: Bearer …` value, or null without one. */
export function bearerOf(header: string | null): string | null {
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match ? match[1]! : null;
}

/** The token's record if it is one that works now; otherwise the 401 that says why. */
export async function workingTokenRecord(plaintext: string): Promise<KeyRecord> {
  if (checkKeyFormat(plaintext, TOKEN_PREFIX) !== null)
    throw unauthorized("That is not a Keyward API token (kwt_…): wrong prefix, length or checksum.");
  const record = await lookupKeyRecord(hashKey(plaintext));
  if (!record || record.kind !== "TOKEN")
    throw unauthorized("No such API token. It was never made here, or was purged.");
  const verdict = evaluateKey(record, new Date(), undefined, env.APP_URL);
  if (verdict.code === "EXPIRED") {
    const renewUrl = tokensUrlFor(env.APP_URL, await teamOf(record));
    throw new KeywardError(
      "EXPIRED",
      `This API token expired at ${verdict.expiredAt}. Make a new one at ${renewUrl}`,
      undefined,
      {
        extra: { expiredAt: verdict.expiredAt, renewUrl },
      },
    );
  }
  if (verdict.code === "REVOKED") {
    const why =
      verdict.reason === "ROTATED"
        ? "was replaced by a newer token and its grace period has ended"
        : verdict.reason === "LEAKED"
          ? "was reported as leaked"
          : "was revoked";
    throw revoked(`This API token ${why}.`);
  }
  return record;
}

async function teamOf(record: KeyRecord): Promise<{ slug: string } | null> {
  if (record.owner.type !== "team") return null;
  return prisma.team.findUnique({ where: { id: record.owner.id }, select: { slug: true } });
}

/** Who a working token acts as, now; a 401 (REVOKED) when its holder no longer stands. */
async function holderOf(record: KeyRecord): Promise<{ user: SessionUser; label: string }> {
  if (record.owner.type === "user") {
    const user = await findAuthenticatedUser(record.owner.id);
    if (!user) throw revoked("This API token's account was deleted.");
    const { sessionVersion: _version, ...sessionUser } = user;
    return { user: sessionUser, label: `API token “${record.name}” of ${user.email}` };
  }
  const teamId = record.owner.id;
  const [team] = await prisma.$queryRaw<
    { name: string; deletedAt: Date | null; makerMay: boolean; botId: string | null }[]
  >`
    SELECT t.name, t."deletedAt",
      EXISTS (SELECT 1 FROM "TeamMember" m JOIN "User" u ON u.id = m."userId"
              WHERE m."teamId" = t.id AND m."userId" = ${record.issuedById} AND m.role IN ('OWNER', 'ADMIN') AND u."deletedAt" IS NULL) AS "makerMay",
      (SELECT m."userId" FROM "TeamMember" m JOIN "User" u ON u.id = m."userId" WHERE m."teamId" = t.id AND u.kind = 'BOT' LIMIT 1) AS "botId"
    FROM "Team" t WHERE t.id = ${teamId}`;
  if (!team || team.deletedAt) throw revoked("This API token's team was deleted.");
  if (!team.makerMay) throw revoked("This team API token's maker is no longer an owner or admin of the team.");
  if (!team.botId) throw revoked("This team API token's service account is gone; make a new token.");
  return {
    user: {
      id: team.botId,
      email: `${BOT_NAME} (${team.name})`,
      name: BOT_NAME,
      role: "USER",
      emailVerified: true,
      kind: "BOT",
    },
    label: `API token “${record.name}” of team ${team.name}`,
  };
}

/** Authenticates `Authorization: Bearer <token>`: the token, who it acts as now, and how to name it. */
export async function authenticateToken(plaintext: string): Promise<TokenPrincipal> {
  const record = await workingTokenRecord(plaintext);
  const holder = await holderOf(record);
  noteTokenUse(record.id);
  const token: CallingToken = {
    id: record.id,
    name: record.name,
    scopes: record.scopes as ApiScope[],
    expiresAt: record.expiresAt,
    owner: record.owner.type === "team" ? { type: "team", id: record.owner.id } : { type: "user", id: record.owner.id },
    issuedById: record.issuedById,
  };
  return { token, ...holder };
}
