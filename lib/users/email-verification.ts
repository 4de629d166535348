import "server-only";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import { prisma, type Tx } from "@/lib/db/client";
import { announceOwnerChange, forgetOwner } from "@/lib/db/owner-change";
import { env } from "@/lib/env";
import { KeywardError, rateLimited } from "@/lib/errors";
import { eventsRecorded } from "@/lib/events/events-recorded";
import { forgetKeys, revokeOwnerKeys } from "@/lib/keys/change/revoke-owner-keys";
import { queueAccountEmail, recentAccountEmails, sendSoon, verificationEmail } from "@/lib/notify/account-emails";
import { hashLinkToken, newLinkToken } from "./link-token";

// Proving an address: a single-use link, emailed, valid for a day. Only its hash is stored.

const TOKEN_TTL_MS = 24 * 3_600_000;
/** Verification emails one account may cause per hour (sign-ups and resends together). */
export const MAX_VERIFICATION_EMAILS_PER_HOUR = 3;

interface Pending {
  name: string;
  passwordHash: string;
}

/**
 * Writes a token and the email carrying its link, in the caller's transaction. With `pending`,
 * using the link also replaces the account's name and password: a sign-up for an address whose
 * account was never verified (whoever made that account never proved the address).
 * Returns the email's id for sendSoon(), or null when this account had its share this hour.
 */
export async function startVerification(
  tx: Tx,
  user: { id: string; email: string; name: string | null },
  pending?: Pending,
): Promise<string | null> {
  if (
    (await recentAccountEmails(tx, user.id, "VERIFY_EMAIL", new Date(Date.now() - 3_600_000))) >=
    MAX_VERIFICATION_EMAILS_PER_HOUR
  )
    return null;
  const { token, tokenHash } = newLinkToken();
  await tx.emailToken.create({
    data: {
      userId: user.id,
      purpose: "VERIFY_EMAIL",
      tokenHash,
      pendingName: pending?.name ?? null,
      pendingHash: pending?.passwordHash ?? null,
      expiresAt: new Date(Date.now() + TOKEN_TTL_MS),
    },
  });
  const link = `${env.APP_URL}/verify-email?token=${token}`;
  return queueAccountEmail(
    tx,
    user.id,
    user.email,
    "VERIFY_EMAIL",
    verificationEmail(pending?.name ?? user.name, link, pending !== undefined),
  );
}

/** The signed-in, unverified user asks for a new link. */
export async function resendVerification(userId: string): Promise<void> {
  const user = await prisma.user.findUniqueOrThrow({
    where: { id: userId },
    select: { id: true, email: true, name: true, emailVerifiedAt: true },
  });
  if (user.emailVerifiedAt) throw new KeywardError("CONFLICT", "This address is already verified.");
  const emailId = await prisma.$transaction((tx) => startVerification(tx, user));
  if (!emailId)
    throw rateLimited(
      3600,
      `At most ${MAX_VERIFICATION_EMAILS_PER_HOUR} verification emails an hour. Check your inbox (and spam folder) for the last one.`,
    );
  sendSoon(emailId);
}

export type ConfirmResult =
  { status: "verified" | "claimed"; email: string; revokedKeys: number } | { status: "invalid" | "used" | "expired" };

/** What the link's page shows before anything happens (opening it changes nothing). */
export async function inspectToken(
  token: string,
): Promise<ConfirmResult | { status: "ready"; email: string; claim: boolean }> {
  const row = await prisma.emailToken.findUnique({
    where: { tokenHash: hashLinkToken(token), purpose: "VERIFY_EMAIL" },
    select: { usedAt: true, expiresAt: true, pendingHash: true, user: { select: { email: true } } },
  });
  if (!row) return { status: "invalid" };
  if (row.usedAt) return { status: "used" };
  if (row.expiresAt <= new Date()) return { status: "expired" };
  return { status: "ready", email: row.user.email, claim: row.pendingHash !== null };
}

/**
 * Uses the link: the address is verified, and for a claim the name and password are replaced,
 * every session of the old password ends and keys issued before the address was proved are
 * revoked (whoever held the old password may hold them). Exactly once, even if used twice at once.
 */
export async function confirmEmail(token: string, ip: string | null): Promise<ConfirmResult> {
  const now = new Date();
  let revoked: string[] = [];
  let claimedBy: string | null = null;
  const result = await prisma.$transaction(async (tx): Promise<ConfirmResult> => {
    const row = await tx.emailToken.findUnique({
      where: { tokenHash: hashLinkToken(token), purpose: "VERIFY_EMAIL" },
      select: {
        id: true,
        usedAt: true,
        expiresAt: true,
        pendingName: true,
        pendingHash: true,
        user: { select: { id: true, email: true, emailVerifiedAt: true } },
      },
    });
    if (!row) return { status: "invalid" };
    if (row.usedAt) return { status: "used" };
    if (row.expiresAt <= now) return { status: "expired" };
    const taken = await tx.emailToken.updateMany({ where: { id: row.id, usedAt: null }, data: { usedAt: now } });
    if (taken.count !== 1) return { status: "used" };
    const user = row.user;
    const actor: Actor = { id: user.id, label: user.email, ip };
    const claim = row.pendingHash !== null;
    await tx.user.update({
      where: { id: user.id },
      data: {
        emailVerifiedAt: user.emailVerifiedAt ?? now,
        ...(claim ? { name: row.pendingName, passwordHash: row.pendingHash, sessionVersion: { increment: 1 } } : {}),
      },
    });
    if (claim) {
      await announceOwnerChange(tx, user.id);
      claimedBy = user.id;
    }
    if (claim)
      revoked = await revokeOwnerKeys(tx, user.id, actor, "Revoked when the address was claimed by its verified owner");
    // The other links of this account are spent too: a claim must not be undone by an older one
    // (nor by a reset link sent before it). A plain verification leaves reset links alone.
    await tx.emailToken.updateMany({
      where: { userId: user.id, usedAt: null, ...(claim ? {} : { purpose: "VERIFY_EMAIL" as const }) },
      data: { usedAt: now },
    });
    await recordAudit(
      tx,
      actor,
      "user.email_verified",
      null,
      claim ? { claimed: true, revokedKeys: revoked.length } : undefined,
    );
    return { status: claim ? "claimed" : "verified", email: user.email, revokedKeys: revoked.length };
  });
  forgetKeys(revoked);
  if (claimedBy) forgetOwner(claimedBy);
  if (revoked.length) eventsRecorded();
  return result;
}

/** Spent and expired links are dead weight; the sweep calls this. */
export async function purgeTokens(now = new Date()): Promise<number> {
  const { count } = await prisma.emailToken.deleteMany({
    where: { expiresAt: { lt: new Date(now.getTime() - TOKEN_TTL_MS) } },
  });
  return count;
}
