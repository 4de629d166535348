import "server-only";
// The second factor, in one place every sign-in path calls.
//
//   factorsOf(userId)                     → the kinds of second factor the account has ([] or
//                                           ["totp"]); a sign-in path asks for one when non-empty.
//   proveSecondFactor(userId, {otp}, {ip, signedIn?})
//                                         → whether `otp` (a TOTP code or a recovery code) proves
//                                           the second factor now. Throttled with the password
//                                           throttle (lib/auth/throttle.ts: the account's address
//                                           and the client; `signedIn` callers, already inside a
//                                           session, count on the account only, as a password
//                                           change does): a wrong code counts as a failed
//                                           sign-in, a right one clears the account's count. A
//                                           TOTP code is accepted once: its time step is stored
//                                           (lastStep) in the same UPDATE that accepts it, so two
//                                           requests racing with one code see exactly one success;
//                                           a recovery code is spent the same way (usedAt).
//   removeSecondFactors(db, userId)       → deletes every factor (an admin's reset, account
//                                           deletion); answers whether there was one.
//
// A passkey (lib/passkeys) is a second factor too: an account with one is asked for it (or a code)
// after its password, and proves it with an assertion signed by one of its own passkeys.
import { blockedUntil, recordFailure, recordSuccess, throttleKeys } from "@/lib/auth/throttle";
import { prisma, type Tx } from "@/lib/db/client";
import { provePasskey } from "@/lib/passkeys";
import { hashRecoveryCode, normalizeRecoveryCode, sameHash } from "./recovery-codes";
import { unseal } from "./sealed";
import { looksLikeTotp, matchingStep } from "./totp";

export type SecondFactorKind = "totp" | "passkey";

/**
 * What proves the second factor: a code typed from the authenticator app or a recovery code
 * (`otp`), or a passkey's assertion (`passkey`: startAuthentication()'s JSON, parsed).
 */
export interface SecondFactorProof {
  otp?: string;
  passkey?: unknown;
}

export type ProofOutcome =
  | { ok: true; method: "totp" | "recovery-code" | "passkey" }
  | { ok: false; reason: "wrong" }
  | { ok: false; reason: "throttled"; until: Date };

export async function factorsOf(userId: string, db: Tx | typeof prisma = prisma): Promise<SecondFactorKind[]> {
  const [totp, passkey] = await Promise.all([
    db.totpFactor.findFirst({ where: { userId, confirmedAt: { not: null } }, select: { id: true } }),
    db.passkey.findFirst({ where: { userId }, select: { id: true } }),
  ]);
  return [...(totp ? (["totp"] as const) : []), ...(passkey ? (["passkey"] as const) : [])];
}

export async function proveSecondFactor(
  userId: string,
  proof: SecondFactorProof,
  context: { ip: string | null; signedIn?: boolean },
): Promise<ProofOutcome> {
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { email: true } });
  if (!user) return { ok: false, reason: "wrong" };
  const both = throttleKeys(user.email, context.ip);
  const keys = context.signedIn ? [both.account] : both;
  const until = await blockedUntil(keys);
  if (until) return { ok: false, reason: "throttled", until };
  const method =
    proof.passkey !== undefined
      ? (await provePasskey(userId, proof.passkey))
        ? "passkey"
        : null
      : proof.otp
        ? await acceptCode(userId, proof.otp)
        : null;
  if (!method) {
    await recordFailure(keys);
    return { ok: false, reason: "wrong" };
  }
  await recordSuccess(both);
  return { ok: true, method };
}

/** Spends a TOTP code's step or a recovery code; null when it proves nothing (or was spent). */
async function acceptCode(userId: string, input: string): Promise<"totp" | "recovery-code" | null> {
  const typed = input.trim();
  if (looksLikeTotp(typed)) {
    const factor = await prisma.totpFactor.findFirst({
      where: { userId, confirmedAt: { not: null } },
      select: { id: true, secretSealed: true },
    });
    const secret = factor ? unseal(factor.secretSealed, userId) : null;
    const step = secret ? matchingStep(secret, typed.replace(/[\s-]/g, "")) : null;
    if (!factor || step === null) return null;
    // The replay check and the acceptance are one statement: of two requests with the same code,
    // the second finds lastStep already at its step and changes nothing.
    const { count } = await prisma.totpFactor.updateMany({
      where: { id: factor.id, confirmedAt: { not: null }, OR: [{ lastStep: null }, { lastStep: { lt: step } }] },
      data: { lastStep: step },
    });
    return count === 1 ? "totp" : null;
  }
  if (!normalizeRecoveryCode(typed)) return null;
  const hash = hashRecoveryCode(typed);
  const codes = await prisma.recoveryCode.findMany({
    where: { userId, usedAt: null },
    select: { id: true, codeHash: true },
  });
  const match = codes.find((c) => sameHash(c.codeHash, hash));
  if (!match) return null;
  const { count } = await prisma.recoveryCode.updateMany({
    where: { id: match.id, usedAt: null },
    data: { usedAt: new Date() },
  });
  return count === 1 ? "recovery-code" : null;
}

export async function removeSecondFactors(db: Tx | typeof prisma, userId: string): Promise<boolean> {
  const totp = await db.totpFactor.deleteMany({ where: { userId } });
  await db.recoveryCode.deleteMany({ where: { userId } });
  const passkeys = await db.passkey.deleteMany({ where: { userId } });
  return totp.count > 0 || passkeys.count > 0;
}
