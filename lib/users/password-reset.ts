import "server-only";
import { z } from "zod";
import { zText } from "@/lib/api/text";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import { hashPassword } from "@/lib/auth/password";
import { blockedUntil, passwordResetKeys, recordFailure, recordSuccess, throttleKeys } from "@/lib/auth/throttle";
import { prisma, type Tx } from "@/lib/db/client";
import { env } from "@/lib/env";
import { KeywardError, notFound, rateLimited } from "@/lib/errors";
import { log } from "@/lib/log/logger";
import { countRateLimited } from "@/lib/metrics/registry";
import { passwordResetEmail, queueAccountEmail, sendSoon } from "@/lib/notify/account-emails";
import { ZEmailAddress, ZNewPassword } from "./account-fields";
import { hashLinkToken, newLinkToken } from "./link-token";
import { endAllSessions } from "./sessions";

// Password recovery: a single-use link, valid for an hour, that sets a new password. Only its
// hash is stored (EmailToken, purpose RESET_PASSWORD). Asking for one answers the same, in the
// same time, whether or not the address has an account; using one ends every session of the
// account and signs nobody in: the person then signs in with the new password.

export const RESET_LINK_TTL_MS = 3_600_000;

export const ZPasswordResetRequest = z.strictObject({ email: ZEmailAddress });

export const ZConfirmPasswordResetRequest = z.strictObject({
  token: zText().max(200),
  password: ZNewPassword,
});
export type TConfirmPasswordResetRequest = z.infer<typeof ZConfirmPasswordResetRequest>;

/** Writes a reset link for the user in the caller's transaction, and returns it. */
export async function createResetLink(tx: Tx, userId: string): Promise<string> {
  const { token, tokenHash } = newLinkToken();
  await tx.emailToken.create({
    data: { userId, purpose: "RESET_PASSWORD", tokenHash, expiresAt: new Date(Date.now() + RESET_LINK_TTL_MS) },
  });
  return `${env.APP_URL}/reset-password?token=${token}`;
}

/**
 * Someone asks for a link for an address. Throttled per address (whoever asks, account or not,
 * so a refusal tells nothing) and per client, in PostgreSQL, so every instance counts together.
 * The answer waits for the throttle alone: looking the address up and writing the link and its
 * email happen after it, so neither the answer nor its time depends on the address. What happened
 * is told to the address only.
 */
export async function requestPasswordReset(email: string, ip: string | null): Promise<void> {
  const keys = passwordResetKeys(email, ip);
  const until = await blockedUntil(keys);
  if (until) {
    countRateLimited("password_reset");
    throw rateLimited(
      Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000)),
      "Too many reset requests for this address, or from your network. A link already sent works for an hour: look in your inbox (and spam folder).",
    );
  }
  await recordFailure(keys); // every request counts: each one may send an email
  void emailResetLink(email, ip).catch((error: unknown) =>
    log.error({ err: error }, "a password reset request failed; nothing was sent"),
  );
}

async function emailResetLink(email: string, ip: string | null): Promise<void> {
  const emailId = await prisma.$transaction(async (tx) => {
    const user = await tx.user.findFirst({
      where: { email, kind: "PERSON", deletedAt: null },
      select: { id: true, email: true, name: true },
    });
    // The audit log is for admins only: it may say whether the address has an account.
    await recordAudit(
      tx,
      { id: null, label: email, ip },
      "user.password_reset_requested",
      null,
      user ? { account: true, userId: user.id } : { account: false },
    );
    if (!user) return null;
    const link = await createResetLink(tx, user.id);
    return queueAccountEmail(tx, user.id, user.email, "PASSWORD_RESET", passwordResetEmail(user.name, link, "request"));
  });
  if (emailId) sendSoon(emailId);
}

/** An admin emails a user a link (Admin → Users): the user asked them, or lost the old one. */
export async function sendPasswordReset(targetId: string, actor: Actor): Promise<void> {
  const emailId = await prisma.$transaction(async (tx) => {
    const user = await tx.user.findUnique({
      where: { id: targetId, kind: "PERSON", deletedAt: null },
      select: { id: true, email: true, name: true },
    });
    if (!user) throw notFound("No such user.");
    const link = await createResetLink(tx, user.id);
    await recordAudit(tx, actor, "user.password_reset_sent", null, { userId: user.id, email: user.email });
    return queueAccountEmail(tx, user.id, user.email, "PASSWORD_RESET", passwordResetEmail(user.name, link, "admin"));
  });
  sendSoon(emailId);
}

export type ResetLinkState =
  { status: "ready"; email: string; firstPassword: boolean } | { status: "invalid" | "used" | "expired" };

async function linkState(tokenHash: string, now: Date): Promise<ResetLinkState> {
  const row = await prisma.emailToken.findUnique({
    where: { tokenHash, purpose: "RESET_PASSWORD" },
    select: { usedAt: true, expiresAt: true, user: { select: { email: true, passwordHash: true } } },
  });
  if (!row) return { status: "invalid" };
  if (row.usedAt) return { status: "used" };
  if (row.expiresAt <= now) return { status: "expired" };
  return { status: "ready", email: row.user.email, firstPassword: row.user.passwordHash === null };
}

/** What the link's page shows before anything happens (opening it changes nothing). */
export function inspectResetLink(token: string): Promise<ResetLinkState> {
  return linkState(hashLinkToken(token), new Date());
}

const GONE_DETAIL = {
  used: "This link has already been used. Ask for a new one on the sign-in page (Forgot password?).",
  expired: "This link has expired: links work for an hour. Ask for a new one on the sign-in page (Forgot password?).",
  invalid: "This is not a link we sent, or it was copied incompletely.",
} as const;

const gone = (status: keyof typeof GONE_DETAIL) => new KeywardError("GONE", GONE_DETAIL[status]);

/**
 * Uses a link, exactly once even if used twice at once: sets the password (a first one for an
 * account that signs in with GitHub only), spends the account's other links and ends every
 * session of it. It signs nobody in. The link proves the address as a verification link would,
 * so an unverified address becomes verified. A used, expired or unknown link: 410.
 */
export async function resetPassword(input: TConfirmPasswordResetRequest, ip: string | null): Promise<void> {
  const tokenHash = hashLinkToken(input.token);
  const now = new Date();
  // Checked before the password is hashed: a flood of made-up links costs no scrypt.
  const state = await linkState(tokenHash, now);
  if (state.status !== "ready") throw gone(state.status);
  const passwordHash = await hashPassword(input.password);
  const email = await prisma.$transaction(async (tx) => {
    const taken = await tx.emailToken.updateMany({
      where: { tokenHash, purpose: "RESET_PASSWORD", usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (taken.count !== 1) throw gone("used");
    const { user } = await tx.emailToken.findUniqueOrThrow({
      where: { tokenHash },
      select: { user: { select: { id: true, email: true, emailVerifiedAt: true } } },
    });
    const actor: Actor = { id: user.id, label: user.email, ip };
    await tx.user.update({
      where: { id: user.id },
      data: { passwordHash, emailVerifiedAt: user.emailVerifiedAt ?? now },
    });
    // An older link must not set another password after this one.
    await tx.emailToken.updateMany({ where: { userId: user.id, usedAt: null }, data: { usedAt: now } });
    await endAllSessions(tx, user.id, actor, "password reset");
    await recordAudit(
      tx,
      actor,
      "user.password_reset",
      null,
      user.emailVerifiedAt === null ? { addressVerified: true } : undefined,
    );
    return user.email;
  });
  // Whoever holds the address chose this password: failed sign-ins counted against the account
  // (someone guessing the old one) must not lock its owner out of the new one.
  await recordSuccess(throttleKeys(email, ip));
}
