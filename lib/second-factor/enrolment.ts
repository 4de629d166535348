import "server-only";
import { z } from "zod";
import { zText } from "@/lib/api/text";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import { blockedUntil, recordFailure, recordSuccess, throttleKeys } from "@/lib/auth/throttle";
import { prisma } from "@/lib/db/client";
import { KeywardError, rateLimited } from "@/lib/errors";
import { factorsOf, proveSecondFactor, removeSecondFactors } from "./index";
import { secondFactorPolicy, secondFactorRequiredFor } from "./policy";
import { hashRecoveryCode, newRecoveryCodes } from "./recovery-codes";
import { seal, unseal } from "./sealed";
import { matchingStep, newTotpSecret, otpauthUrl } from "./totp";

// Enrolling a TOTP factor from Settings → Security: start (a new secret, shown once as a QR code
// and as text), confirm with a first code (then 10 recovery codes, shown once), disable with a
// code, regenerate the recovery codes. Until it is confirmed the factor is asked for nowhere.

export const ZTotpCode = z.strictObject({ code: zText().trim().min(1).max(64) });
export type TTotpCode = z.infer<typeof ZTotpCode>;

interface Account {
  id: string;
  email: string;
  role: "USER" | "ADMIN";
}

export interface SecondFactorStatus {
  totp: { enabled: boolean; pending: boolean; confirmedAt: string | null };
  recoveryCodesLeft: number;
  /** Whether REQUIRE_2FA asks this account for a second factor. */
  required: boolean;
}

export async function secondFactorStatus(user: Account): Promise<SecondFactorStatus> {
  const [factor, left] = await Promise.all([
    prisma.totpFactor.findUnique({ where: { userId: user.id }, select: { confirmedAt: true } }),
    prisma.recoveryCode.count({ where: { userId: user.id, usedAt: null } }),
  ]);
  return {
    totp: {
      enabled: Boolean(factor?.confirmedAt),
      pending: Boolean(factor && !factor.confirmedAt),
      confirmedAt: factor?.confirmedAt?.toISOString() ?? null,
    },
    recoveryCodesLeft: factor?.confirmedAt ? left : 0,
    required: secondFactorRequiredFor(user, secondFactorPolicy()),
  };
}

/** A new secret for the account, waiting for its first code; a previous unconfirmed one is replaced. */
export async function startTotpEnrolment(user: Account): Promise<{ secret: string; otpauthUrl: string }> {
  if ((await factorsOf(user.id)).includes("totp")) {
    throw new KeywardError(
      "CONFLICT",
      "Two-factor authentication is already on. Turn it off first to move it to another app.",
    );
  }
  const secret = newTotpSecret();
  const secretSealed = seal(secret, user.id);
  // Only an unconfirmed one is replaced: a confirmation racing this keeps its factor (the
  // create then meets the unique userId, and this start is refused).
  await prisma.totpFactor.deleteMany({ where: { userId: user.id, confirmedAt: null } });
  try {
    await prisma.totpFactor.create({ data: { userId: user.id, secretSealed } });
  } catch (error) {
    if ((error as { code?: string }).code === "P2002")
      throw new KeywardError(
        "CONFLICT",
        "Enrolment changed meanwhile (started in another tab?). Reload and start again.",
      );
    throw error;
  }
  return { secret, otpauthUrl: otpauthUrl(secret, user.email) };
}

const wrongCode = () =>
  new KeywardError(
    "UNPROCESSABLE",
    "That code is not right. Codes change every 30 seconds: type the one showing now.",
    [{ path: "code", message: "not the current code" }],
  );
const throttled = (until: Date) =>
  rateLimited(
    Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000)),
    "Too many wrong codes or passwords for this account, or from your network. Wait, then try again.",
  );

/** The first code proves the app has the secret: the factor is on, and recovery codes are made. */
export async function confirmTotpEnrolment(
  user: Account,
  input: TTotpCode,
  actor: Actor,
): Promise<{ recoveryCodes: string[] }> {
  // The caller is signed in: the account's count (a shared address is not locked out by one
  // person mistyping), as a password change does.
  const keys = [throttleKeys(user.email, actor.ip).account];
  const until = await blockedUntil(keys);
  if (until) throw throttled(until);
  const factor = await prisma.totpFactor.findUnique({
    where: { userId: user.id },
    select: { id: true, secretSealed: true, confirmedAt: true },
  });
  if (!factor) throw new KeywardError("CONFLICT", "Start enrolment first: there is no secret waiting for a code.");
  if (factor.confirmedAt) throw new KeywardError("CONFLICT", "Two-factor authentication is already on.");
  const secret = unseal(factor.secretSealed, user.id);
  const step = secret ? matchingStep(secret, input.code.replace(/[\s-]/g, "")) : null;
  if (step === null) {
    await recordFailure(keys);
    throw wrongCode();
  }
  const recoveryCodes = newRecoveryCodes();
  await prisma.$transaction(async (tx) => {
    // The very secret that was checked, still unconfirmed: a restart of enrolment meanwhile loses.
    const { count } = await tx.totpFactor.updateMany({
      where: { id: factor.id, secretSealed: factor.secretSealed, confirmedAt: null },
      data: { confirmedAt: new Date(), lastStep: step },
    });
    if (count !== 1)
      throw new KeywardError("CONFLICT", "Enrolment changed meanwhile (started again in another tab?). Start again.");
    await tx.recoveryCode.deleteMany({ where: { userId: user.id } });
    await tx.recoveryCode.createMany({
      data: recoveryCodes.map((code) => ({ userId: user.id, codeHash: hashRecoveryCode(code) })),
    });
    await recordAudit(tx, actor, "user.second_factor_enabled", null, { userId: user.id, factor: "totp" });
  });
  await recordSuccess(throttleKeys(user.email, actor.ip));
  return { recoveryCodes };
}

/** Turns TOTP off: a current code or an unused recovery code proves the owner still has it. */
export async function disableTotp(user: Account, input: TTotpCode, actor: Actor): Promise<void> {
  if (!(await factorsOf(user.id)).includes("totp"))
    throw new KeywardError("CONFLICT", "Two-factor authentication is not on.");
  const outcome = await proveSecondFactor(user.id, { otp: input.code }, { ip: actor.ip, signedIn: true });
  if (!outcome.ok) throw outcome.reason === "throttled" ? throttled(outcome.until) : wrongCode();
  await prisma.$transaction(async (tx) => {
    await removeSecondFactors(tx, user.id);
    await recordAudit(tx, actor, "user.second_factor_disabled", null, {
      userId: user.id,
      factor: "totp",
      provedWith: outcome.method,
    });
  });
}

/** Ten new recovery codes; the old ones stop working. */
export async function regenerateRecoveryCodes(user: Account, actor: Actor): Promise<{ recoveryCodes: string[] }> {
  const recoveryCodes = newRecoveryCodes();
  await prisma.$transaction(async (tx) => {
    if (!(await factorsOf(user.id, tx)).includes("totp"))
      throw new KeywardError(
        "CONFLICT",
        "Two-factor authentication is not on: there are no recovery codes to replace.",
      );
    await tx.recoveryCode.deleteMany({ where: { userId: user.id } });
    await tx.recoveryCode.createMany({
      data: recoveryCodes.map((code) => ({ userId: user.id, codeHash: hashRecoveryCode(code) })),
    });
    await recordAudit(tx, actor, "user.recovery_codes_regenerated", null, { userId: user.id });
  });
  return { recoveryCodes };
}
