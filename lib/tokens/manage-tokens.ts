import "server-only";
import { z } from "zod";
import { ADMIN_SCOPES, API_SCOPES, ZApiScope, type ApiScope } from "@/lib/api/scopes";
import { zId } from "@/lib/api/text";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import { prisma, type Prisma } from "@/lib/db/client";
import { env } from "@/lib/env";
import { forbidden, KeywardError, notFound } from "@/lib/errors";
import { eventsRecorded } from "@/lib/events/events-recorded";
import { recordKeyEvent } from "@/lib/events/record-event";
import { writeBlacklistRow } from "@/lib/keys/change/blacklist-row";
import { resolveExpiry, ZExpiry } from "@/lib/keys/expiry-policy";
import { createKeyRow, ZKeyName } from "@/lib/keys/change/issue-key";
import type { KeyOwner } from "@/lib/keys/key-owner";
import { keyStatus } from "@/lib/keys/key-status";
import { forgetKey } from "@/lib/keys/check/key-store";
import { KEY_VIEW_SELECT, type KeyRow } from "@/lib/keys/read/key-view";
import { ZRevokeKeyRequest } from "@/lib/keys/change/revoke-key";
import { requireTeam } from "@/lib/teams/membership";
import type { CallingToken } from "./authenticate-token";
import { teamBot } from "./team-bot";
import { toTokenView, type TokenView } from "./token-view";

// API tokens: what a script, a CI job or a service uses instead of a browser session. A token is
// a row of the keys' table (kind TOKEN) under the keys' rules: a hash and a display prefix only,
// an expiry with reminders, the sweep, leak reports, revocation seen by every instance at once.
// A person's token acts as that person, within its scopes and never beyond what they may do at
// the moment of each request; a team's token acts through the team's service account (team-bot.ts)
// and lives only while the admin who made it may still make it (lib/rights).

export const ZTokenScopes = z.array(ZApiScope).min(1, "Choose at least one scope").max(API_SCOPES.length);

export const ZCreateTokenRequest = z.strictObject({
  name: ZKeyName,
  scopes: ZTokenScopes,
  expiry: ZExpiry,
  /** A team whose owners and admins manage its tokens; absent: a personal token. */
  teamId: zId.optional(),
});
export type TCreateTokenRequest = z.input<typeof ZCreateTokenRequest>;

export const ZListTokensQuery = z.strictObject({ team: zId.optional() });

export const TOKEN_GRACE = { none: 0, "1h": 3_600_000, "24h": 86_400_000, "7d": 7 * 86_400_000 } as const;
export const ZRotateTokenRequest = z.strictObject({
  /** How long the old token keeps working beside the new one. */
  grace: z
    .enum(Object.keys(TOKEN_GRACE) as [keyof typeof TOKEN_GRACE, ...(keyof typeof TOKEN_GRACE)[]])
    .default("none"),
});
export type TRotateTokenRequest = z.input<typeof ZRotateTokenRequest>;

export { ZRevokeKeyRequest as ZRevokeTokenRequest };

export interface IssuedToken {
  token: TokenView;
  /** Shown once; never stored, never logged. */
  plaintext: string;
}

/** Who asks: a person by session or by one of their tokens, or a team's token (its service account). */
export interface TokenCaller {
  user: { id: string; role: "USER" | "ADMIN"; emailVerified: boolean };
  /** The token the request came with: a token hands on no more than it holds. */
  token: CallingToken | null;
}

/**
 * The person a new token lives by: the caller, or, when a token makes or rotates one, the person
 * behind that token (a team token's maker), so no chain of tokens outlives a person's right.
 */
function makerOf(caller: TokenCaller): string {
  return caller.token?.issuedById ?? caller.user.id;
}

/** A team token asking without a team acts for its own team; a person's request without one is personal. */
function ownerFor(caller: TokenCaller, teamId: string | undefined): KeyOwner {
  if (teamId) return { type: "team", id: teamId };
  if (caller.token?.owner.type === "team") return caller.token.owner;
  return { type: "user", id: caller.user.id };
}

function checkScopes(caller: TokenCaller, owner: KeyOwner, scopes: ApiScope[]): ApiScope[] {
  const admin = scopes.filter((s) => ADMIN_SCOPES.includes(s));
  if (admin.length && (owner.type === "team" || caller.user.role !== "ADMIN")) {
    throw forbidden(`Only a site admin's own token may carry ${admin.join(" and ")}.`);
  }
  const beyond = caller.token ? scopes.filter((s) => !caller.token!.scopes.includes(s)) : [];
  if (beyond.length)
    throw forbidden(`A token can hand on only the scopes it has; this one lacks ${beyond.join(", ")}.`);
  return [...new Set(scopes)].sort();
}

/** A token made by a token lives no longer than the one that made it. */
function checkLifetime(caller: TokenCaller, expiresAt: Date | null): void {
  const limit = caller.token?.expiresAt;
  if (limit && (expiresAt === null || expiresAt > limit)) {
    throw new KeywardError(
      "UNPROCESSABLE",
      `A token can make tokens that expire no later than itself (${limit.toISOString()}).`,
      [{ path: "expiry", message: "after the calling token's expiry" }],
    );
  }
}

async function mayManageTeamTokens(caller: TokenCaller, teamId: string): Promise<void> {
  await requireTeam(caller.user.id, teamId, "manage-tokens");
}

export async function createToken(
  caller: TokenCaller,
  request: TCreateTokenRequest,
  actor: Actor,
): Promise<IssuedToken> {
  const input = ZCreateTokenRequest.parse(request);
  if (!caller.user.emailVerified) throw forbidden("Verify your email address before making API tokens.");
  const owner = ownerFor(caller, input.teamId);
  if (owner.type === "team") await mayManageTeamTokens(caller, owner.id);
  const scopes = checkScopes(caller, owner, input.scopes);
  const expiresAt = resolveExpiry(input.expiry, new Date(), {
    maxLifetimeDays: env.API_TOKEN_MAX_DAYS,
    allowNeverExpires: env.API_TOKEN_ALLOW_NEVER,
  });
  checkLifetime(caller, expiresAt);
  const issued = await prisma.$transaction(async (tx) => {
    if (owner.type === "team") await teamBot(tx, owner.id);
    const made = await createKeyRow(
      tx,
      owner,
      { name: input.name, scopes, expiresAt, kind: "TOKEN", issuedById: makerOf(caller) },
      actor,
    );
    return {
      token: toTokenView(await tx.apiKey.findUniqueOrThrow({ where: { id: made.key.id }, select: KEY_VIEW_SELECT })),
      plaintext: made.plaintext,
    };
  });
  eventsRecorded();
  return issued;
}

export async function listTokens(caller: TokenCaller, query: z.input<typeof ZListTokensQuery>): Promise<TokenView[]> {
  const { team } = ZListTokensQuery.parse(query);
  const owner = ownerFor(caller, team);
  if (owner.type === "team") await mayManageTeamTokens(caller, owner.id);
  const where: Prisma.ApiKeyWhereInput = {
    kind: "TOKEN",
    ...(owner.type === "team" ? { teamId: owner.id } : { userId: owner.id }),
  };
  const rows = await prisma.apiKey.findMany({
    where,
    select: KEY_VIEW_SELECT,
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    take: 500,
  });
  const now = new Date();
  return rows.map((row) => toTokenView(row, now));
}

/** A token the caller may manage: their own, or (owners and admins) their team's; else 404 like a missing one. */
async function accessToken(caller: TokenCaller, id: string): Promise<KeyRow> {
  const row = await prisma.apiKey.findUnique({ where: { id, kind: "TOKEN" }, select: KEY_VIEW_SELECT });
  if (!row) throw notFound("No such API token.");
  if (row.userId !== null) {
    if (row.userId !== caller.user.id) throw notFound("No such API token.");
    return row;
  }
  try {
    await mayManageTeamTokens(caller, row.teamId!);
  } catch (error) {
    // A member below admin cannot tell a team token from a missing one either.
    if (error instanceof KeywardError && error.code === "FORBIDDEN") throw notFound("No such API token.");
    throw error;
  }
  return row;
}

export async function getToken(caller: TokenCaller, id: string): Promise<TokenView> {
  return toTokenView(await accessToken(caller, id));
}

export async function revokeToken(
  caller: TokenCaller,
  id: string,
  input: z.infer<typeof ZRevokeKeyRequest>,
  actor: Actor,
): Promise<TokenView> {
  const token = await accessToken(caller, id);
  const row = await prisma.$transaction(async (tx) => {
    await writeBlacklistRow(tx, id, "REVOKED", actor, input.note ?? null, { overwrite: false });
    await recordAudit(tx, actor, "token.revoked", id, input.note ? { note: input.note } : undefined, token.teamId);
    await recordKeyEvent(tx, "key.revoked", id, actor, { reason: "REVOKED", note: input.note ?? null });
    return tx.apiKey.findUniqueOrThrow({ where: { id }, select: KEY_VIEW_SELECT });
  });
  forgetKey(id);
  eventsRecorded();
  return toTokenView(row);
}

export interface RotatedToken extends IssuedToken {
  previous: TokenView;
}

/**
 * A new token with the same name, owner and scopes; the old one keeps working for `grace`, then
 * answers REVOKED (ROTATED) and the sweep blacklists it. The new one lives as long as the old one
 * was meant to, within today's maximum; one made by another token, no longer than that token.
 */
export async function rotateToken(
  caller: TokenCaller,
  id: string,
  request: TRotateTokenRequest,
  actor: Actor,
): Promise<RotatedToken> {
  const input = ZRotateTokenRequest.parse(request);
  const current = await accessToken(caller, id);
  const now = new Date();
  const works = ["ACTIVE", "EXPIRING", "GRACE"].includes(keyStatus(current, now, 0));
  if (!works) throw new KeywardError("CONFLICT", "This token no longer works: make a new one.");
  const self = caller.token?.id === id;
  const owner: KeyOwner = current.teamId ? { type: "team", id: current.teamId } : { type: "user", id: current.userId! };
  const rotated = await prisma.$transaction(async (tx) => {
    // The row lock makes a retried request (a CI job run twice) rotate once, not twice.
    const [locked] = await tx.$queryRaw<
      { replacedById: string | null }[]
    >`SELECT "replacedById" FROM "ApiKey" WHERE id = ${id} FOR UPDATE`;
    if (!locked) throw notFound("No such API token.");
    if (locked.replacedById) throw new KeywardError("CONFLICT", "This token has already been rotated.");
    const expiresAt = sameLifetime(current.createdAt, current.expiresAt, now);
    if (!self) checkLifetime(caller, expiresAt);
    const made = await createKeyRow(
      tx,
      owner,
      {
        name: current.name,
        scopes: current.scopes,
        expiresAt,
        kind: "TOKEN",
        issuedById: owner.type === "team" ? makerOf(caller) : owner.id,
      },
      actor,
      { rotatedFrom: id },
    );
    const graceMs = TOKEN_GRACE[input.grace];
    if (graceMs === 0)
      await writeBlacklistRow(tx, id, "ROTATED", actor, `Replaced by ${made.key.masked}`, { overwrite: false });
    const graceEndsAt = graceMs === 0 ? null : new Date(now.getTime() + graceMs);
    const previous = await tx.apiKey.update({
      where: { id },
      data: { replacedById: made.key.id, graceEndsAt },
      select: KEY_VIEW_SELECT,
    });
    await recordAudit(
      tx,
      actor,
      "token.rotated",
      id,
      { newTokenId: made.key.id, grace: input.grace, self },
      current.teamId,
    );
    await recordKeyEvent(tx, "key.rotated", id, actor, { replacedBy: made.key.id, graceEndsAt });
    const token = await tx.apiKey.findUniqueOrThrow({ where: { id: made.key.id }, select: KEY_VIEW_SELECT });
    return { token: toTokenView(token, now), plaintext: made.plaintext, previous: toTokenView(previous, now) };
  });
  forgetKey(id);
  eventsRecorded();
  return rotated;
}

/** The old token's intended lifetime from now, within today's maximum (never stays never unless allowed). */
function sameLifetime(createdAt: Date, expiresAt: Date | null, now: Date): Date | null {
  const maxMs = env.API_TOKEN_MAX_DAYS * 86_400_000;
  if (!expiresAt) return env.API_TOKEN_ALLOW_NEVER ? null : new Date(now.getTime() + (maxMs || 90 * 86_400_000));
  const lifetime = Math.max(expiresAt.getTime() - createdAt.getTime(), 86_400_000);
  return new Date(now.getTime() + (maxMs > 0 ? Math.min(lifetime, maxMs) : lifetime));
}
