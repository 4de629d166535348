import "server-only";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import type { GitHubEmails } from "@/lib/auth/github";
import { Prisma, prisma } from "@/lib/db/client";
import { env } from "@/lib/env";
import { KeywardError } from "@/lib/errors";
import { findAuthenticatedUser } from "./authenticate";

export const GITHUB = "github";

/** Why a GitHub sign-in or connection was refused; each has its own page (/auth/github). */
export type GitHubRefusal =
  | "signup-closed" // no account is linked, and sign-up is off
  | "address-taken" // no account is linked, but one exists for the address: connect from Settings
  | "unverified-github" // GitHub has verified none of the identity's addresses
  | "unverified-account" // connecting: the Keyward account's address is not verified yet
  | "address-mismatch" // connecting: GitHub has not verified the account's address
  | "linked-elsewhere" // connecting: this GitHub identity belongs to another account
  | "session-ended"; // connecting: the session that asked has ended since

export type GitHubOutcome = { userId: string; linked?: true } | { refused: GitHubRefusal };

export interface GitHubIdentity {
  id: string;
  name: string | null;
  emails: GitHubEmails;
}

/**
 * Decides what a completed GitHub sign-in means. A linked identity signs in as its account. With
 * a link intent (a signed-in user's "Connect GitHub"), the identity is linked to that account, if
 * the account's address is verified and GitHub has verified the same address. Otherwise a new
 * account is made from GitHub's verified primary address, if sign-up is on and no account has
 * any of the identity's addresses: an account is never joined by matching addresses alone.
 */
export async function resolveGitHubSignIn(
  identity: GitHubIdentity,
  intent: { userId: string; sessionVersion: number } | null,
  ip: string | null,
): Promise<GitHubOutcome> {
  const linked = await prisma.account.findUnique({
    where: { provider_providerAccountId: { provider: GITHUB, providerAccountId: identity.id } },
    select: { userId: true, user: { select: { email: true } } },
  });
  if (linked) {
    if (intent && intent.userId !== linked.userId) return { refused: "linked-elsewhere" };
    if (!intent) await recordAudit(prisma, { id: linked.userId, label: linked.user.email, ip }, "auth.signed_in", null, { method: "github" });
    return { userId: linked.userId };
  }

  if (intent) {
    const user = await findAuthenticatedUser(intent.userId);
    if (!user || user.sessionVersion !== intent.sessionVersion) return { refused: "session-ended" };
    if (!user.emailVerified) return { refused: "unverified-account" };
    if (!identity.emails.verified.includes(user.email)) return { refused: "address-mismatch" };
    try {
      await prisma.$transaction(async (tx) => {
        await tx.account.create({ data: { provider: GITHUB, providerAccountId: identity.id, userId: user.id } });
        await recordAudit(tx, { id: user.id, label: user.email, ip }, "user.github_linked", null, { githubId: identity.id });
      });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return { refused: "linked-elsewhere" };
      throw error;
    }
    return { userId: user.id, linked: true };
  }

  if (!env.ALLOW_SIGNUP) return { refused: "signup-closed" };
  const email = identity.emails.primary ?? identity.emails.verified[0];
  if (!email) return { refused: "unverified-github" };
  if ((await prisma.user.count({ where: { email: { in: identity.emails.verified } } })) > 0) return { refused: "address-taken" };
  try {
    const user = await prisma.$transaction(async (tx) => {
      const created = await tx.user.create({
        data: { email, name: identity.name, emailVerifiedAt: new Date(), accounts: { create: { provider: GITHUB, providerAccountId: identity.id } } },
        select: { id: true, email: true },
      });
      await recordAudit(tx, { id: created.id, label: created.email, ip }, "user.signed_up", null, { method: "github" });
      return created;
    });
    return { userId: user.id };
  } catch (error) {
    // Someone made an account for the address (or linked the identity) a moment ago.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return { refused: "address-taken" };
    throw error;
  }
}

/** The account a GitHub identity is linked to, if any. */
export async function linkedUserId(githubId: string): Promise<string | null> {
  const link = await prisma.account.findUnique({
    where: { provider_providerAccountId: { provider: GITHUB, providerAccountId: githubId } },
    select: { userId: true },
  });
  return link?.userId ?? null;
}

/** Whether the user has GitHub connected, and whether they could sign in without it. */
export async function githubLinkOf(userId: string): Promise<{ linked: boolean; hasPassword: boolean }> {
  const user = await prisma.user.findUniqueOrThrow({
    where: { id: userId },
    select: { passwordHash: true, accounts: { where: { provider: GITHUB }, select: { providerAccountId: true } } },
  });
  return { linked: user.accounts.length > 0, hasPassword: user.passwordHash !== null };
}

/** Disconnects GitHub; refused when it is the only way this account can sign in. */
export async function unlinkGitHub(userId: string, actor: Actor): Promise<void> {
  const { linked, hasPassword } = await githubLinkOf(userId);
  if (!linked) throw new KeywardError("NOT_FOUND", "GitHub is not connected to this account.");
  if (!hasPassword) throw new KeywardError("CONFLICT", "GitHub is the only way into this account: set a password before disconnecting it.");
  await prisma.$transaction(async (tx) => {
    await tx.account.deleteMany({ where: { userId, provider: GITHUB } });
    await recordAudit(tx, actor, "user.github_unlinked", null);
  });
}
