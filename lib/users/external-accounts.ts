import "server-only";
import { recordAudit, type Actor, type AuditAction } from "@/lib/audit/record-audit";
import { Prisma, prisma } from "@/lib/db/client";
import { env } from "@/lib/env";
import { KeywardError } from "@/lib/errors";
import { findAuthenticatedUser } from "./authenticate";
import { factorsOf } from "@/lib/second-factor";

// Identities from outside Keyward (GitHub, an OpenID Connect provider) and the accounts they sign
// in to. One set of rules for every provider: an identity joins an account only through a
// signed-in "Connect" from Settings (a link intent), never by matching addresses.

export const GITHUB = "github";
export const OIDC = "oidc";
export type ExternalProvider = typeof GITHUB | typeof OIDC;
export const EXTERNAL_PROVIDERS: readonly ExternalProvider[] = [GITHUB, OIDC];

export const isExternalProvider = (provider: string | undefined): provider is ExternalProvider =>
  (EXTERNAL_PROVIDERS as readonly string[]).includes(provider ?? "");

/** Why an external sign-in or connection was refused; each has its own page (/auth/<provider>). */
export type ExternalRefusal =
  | "signup-closed" // no account is linked, and sign-up is off
  | "address-taken" // no account is linked, but one exists for the address: connect from Settings
  | "unverified-identity" // the provider has verified none of the identity's addresses
  | "domain-not-allowed" // OIDC_ALLOWED_DOMAINS: the identity's verified address is elsewhere
  | "unverified-account" // connecting: the Keyward account's address is not verified yet
  | "address-mismatch" // connecting: the provider has not verified the account's address
  | "linked-elsewhere" // connecting: this identity belongs to another account
  | "session-ended"; // connecting: the session that asked has ended since

export const EXTERNAL_REFUSALS: readonly ExternalRefusal[] = [
  "signup-closed",
  "address-taken",
  "unverified-identity",
  "domain-not-allowed",
  "unverified-account",
  "address-mismatch",
  "linked-elsewhere",
  "session-ended",
];

/**
 * What an external sign-in means: this account (newly made, or just linked), or a refusal.
 * `secondFactor`: the account has one, which the provider's sign-in did not ask for: the sign-in
 * waits for it (lib/auth/held-sign-in.ts).
 */
export type ExternalOutcome =
  | { userId: string; sessionVersion?: number; linked?: true; created?: true; secondFactor?: true }
  | { refused: ExternalRefusal };

export interface ExternalEmails {
  /** The primary address, if the provider has verified it. */
  primary: string | null;
  /** Every address the provider reports as verified, lower-cased. */
  verified: string[];
}

export interface ExternalIdentity {
  provider: ExternalProvider;
  /** The provider's stable id for the identity (GitHub's user id, OIDC's sub). */
  id: string;
  name: string | null;
  emails: ExternalEmails;
}

/** A signed-in user's "Connect" (lib/auth/link-intent.ts), as the browser brought it back. */
export interface LinkIntent {
  userId: string;
  sessionVersion: number;
}

const LINKED: Record<ExternalProvider, AuditAction> = { github: "user.github_linked", oidc: "user.oidc_linked" };
const UNLINKED: Record<ExternalProvider, AuditAction> = { github: "user.github_unlinked", oidc: "user.oidc_unlinked" };

const accountKey = (identity: { provider: ExternalProvider; id: string }) => ({
  provider_providerAccountId: { provider: identity.provider, providerAccountId: identity.id },
});

/**
 * Decides what a completed external sign-in means. A linked identity signs in as its account.
 * With a link intent, the identity is linked to that account, if the account's address is verified
 * and the provider has verified the same address. Otherwise a new account is made from the
 * provider's verified primary address, if sign-up is on and no account has any of the identity's
 * addresses: an account is never joined by matching addresses alone.
 */
export async function resolveExternalSignIn(
  identity: ExternalIdentity,
  intent: LinkIntent | null,
  ip: string | null,
): Promise<ExternalOutcome> {
  const linked = await prisma.account.findUnique({
    where: accountKey(identity),
    select: { userId: true, user: { select: { email: true, sessionVersion: true } } },
  });
  if (linked) {
    if (intent && intent.userId !== linked.userId) return { refused: "linked-elsewhere" };
    // The provider's sign-in is one factor: an account with a second factor is signed in only
    // once it gives that too, so the second factor cannot be skipped this way. The audit log
    // records the sign-in when it completes (lib/auth/held-sign-in-complete.ts).
    if (!intent && (await factorsOf(linked.userId)).length > 0)
      return { userId: linked.userId, sessionVersion: linked.user.sessionVersion, secondFactor: true };
    if (!intent)
      await recordAudit(prisma, { id: linked.userId, label: linked.user.email, ip }, "auth.signed_in", null, {
        method: identity.provider,
      });
    return { userId: linked.userId };
  }

  if (intent) {
    const user = await findAuthenticatedUser(intent.userId);
    if (!user || user.sessionVersion !== intent.sessionVersion) return { refused: "session-ended" };
    if (!user.emailVerified) return { refused: "unverified-account" };
    if (!identity.emails.verified.includes(user.email)) return { refused: "address-mismatch" };
    try {
      await prisma.$transaction(async (tx) => {
        await tx.account.create({
          data: { provider: identity.provider, providerAccountId: identity.id, userId: user.id },
        });
        await recordAudit(tx, { id: user.id, label: user.email, ip }, LINKED[identity.provider], null, {
          provider: identity.provider,
          externalId: identity.id,
        });
      });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002")
        return { refused: "linked-elsewhere" };
      throw error;
    }
    return { userId: user.id, linked: true };
  }

  if (!env.ALLOW_SIGNUP) return { refused: "signup-closed" };
  const email = identity.emails.primary ?? identity.emails.verified[0];
  if (!email) return { refused: "unverified-identity" };
  if ((await prisma.user.count({ where: { email: { in: identity.emails.verified } } })) > 0)
    return { refused: "address-taken" };
  try {
    const user = await prisma.$transaction(async (tx) => {
      const created = await tx.user.create({
        data: {
          email,
          name: identity.name,
          emailVerifiedAt: new Date(),
          accounts: { create: { provider: identity.provider, providerAccountId: identity.id } },
        },
        select: { id: true, email: true },
      });
      await recordAudit(tx, { id: created.id, label: created.email, ip }, "user.signed_up", null, {
        method: identity.provider,
      });
      return created;
    });
    return { userId: user.id, created: true };
  } catch (error) {
    // Someone made an account for the address (or linked the identity) a moment ago.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002")
      return { refused: "address-taken" };
    throw error;
  }
}

/** The account an external identity is linked to, if any. */
export async function linkedUserId(provider: ExternalProvider, externalId: string): Promise<string | null> {
  const link = await prisma.account.findUnique({
    where: accountKey({ provider, id: externalId }),
    select: { userId: true },
  });
  return link?.userId ?? null;
}

/** Which providers the user has connected, and whether they could sign in without them. */
export async function externalLinksOf(
  userId: string,
): Promise<{ linked: Record<ExternalProvider, boolean>; hasPassword: boolean }> {
  const user = await prisma.user.findUniqueOrThrow({
    where: { id: userId },
    select: { passwordHash: true, accounts: { select: { provider: true } } },
  });
  const has = (provider: ExternalProvider) => user.accounts.some((a) => a.provider === provider);
  return { linked: { github: has(GITHUB), oidc: has(OIDC) }, hasPassword: user.passwordHash !== null };
}

/** Whether the user has this provider connected, and whether they have a password. */
export async function externalLinkOf(
  userId: string,
  provider: ExternalProvider,
): Promise<{ linked: boolean; hasPassword: boolean }> {
  const { linked, hasPassword } = await externalLinksOf(userId);
  return { linked: linked[provider], hasPassword };
}

/** Disconnects a provider; refused when it is the only way this account can sign in. */
export async function unlinkExternal(
  userId: string,
  provider: ExternalProvider,
  providerName: string,
  actor: Actor,
): Promise<void> {
  const { linked, hasPassword } = await externalLinksOf(userId);
  if (!linked[provider]) throw new KeywardError("NOT_FOUND", `${providerName} is not connected to this account.`);
  const otherWays = hasPassword || EXTERNAL_PROVIDERS.some((p) => p !== provider && linked[p]);
  if (!otherWays)
    throw new KeywardError(
      "CONFLICT",
      `${providerName} is the only way into this account: set a password before disconnecting it.`,
    );
  await prisma.$transaction(async (tx) => {
    await tx.account.deleteMany({ where: { userId, provider } });
    await recordAudit(tx, actor, UNLINKED[provider], null);
  });
}
