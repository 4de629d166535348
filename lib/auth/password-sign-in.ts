import "server-only";
import { recordAudit } from "@/lib/audit/record-audit";
import { prisma } from "@/lib/db/client";
import { KeywardError } from "@/lib/errors";
import { factorsOf, proveSecondFactor, type SecondFactorKind } from "@/lib/second-factor";
import { checkProof } from "@/lib/second-factor/proof";
import { countSignInFailure, countSignInLockout } from "@/lib/metrics/registry";
import { authenticate, type AuthenticatedUser } from "@/lib/users/authenticate";
import { blockedUntil, recordFailure, recordSuccess, throttleKeys } from "./throttle";

export type PasswordSignIn =
  | { ok: true; user: AuthenticatedUser }
  | { ok: false; reason: "wrong" | "busy" }
  /** The password was right and the account has a second factor: none was sent, or a wrong one. */
  | { ok: false; reason: "otp-required" | "otp-wrong"; factors: SecondFactorKind[] }
  | { ok: false; reason: "throttled"; until: Date };

/**
 * Email + password, throttled per account and per client (throttle.ts), every outcome in the
 * audit log with the address tried and the client's address. An account with a second factor
 * also needs `otp` or a passkey's assertion (checked by lib/second-factor, under the same throttle): without it nothing is
 * counted and the form asks for it; a wrong one counts as a failure. Only a full success clears
 * the account's failures. `proof` stands in for the code where the server itself signs a person
 * in again who has just given it (a password change).
 */
export async function signInWithPassword(
  email: string,
  password: string,
  ip: string | null,
  second: { otp?: string; passkey?: unknown; proof?: string } = {},
): Promise<PasswordSignIn> {
  const address = email.trim().toLowerCase().slice(0, 254);
  const keys = throttleKeys(address, ip);
  const attempt = { id: null, label: address || "(empty)", ip };
  const until = await blockedUntil(keys);
  if (until) {
    countSignInLockout();
    await recordAudit(prisma, attempt, "auth.sign_in_failed", null, {
      reason: "throttled",
      until: until.toISOString(),
    });
    return { ok: false, reason: "throttled", until };
  }
  let user: AuthenticatedUser | null;
  try {
    user = await authenticate(address, password);
  } catch (error) {
    if (error instanceof KeywardError && error.code === "RATE_LIMITED") return { ok: false, reason: "busy" };
    throw error;
  }
  if (!user) {
    countSignInFailure();
    await recordFailure(keys);
    await recordAudit(prisma, attempt, "auth.sign_in_failed", null, { reason: "wrong email or password" });
    return { ok: false, reason: "wrong" };
  }
  let method = "password";
  const factors = await factorsOf(user.id);
  if (factors.length > 0 && checkProof("second-factor", second.proof, user.id) === null) {
    if (!second.otp && second.passkey === undefined) return { ok: false, reason: "otp-required", factors };
    const proved = await proveSecondFactor(user.id, { otp: second.otp, passkey: second.passkey }, { ip });
    if (!proved.ok) {
      await recordAudit(prisma, attempt, "auth.sign_in_failed", null, {
        reason: proved.reason === "throttled" ? "throttled" : "wrong second factor",
      });
      return proved.reason === "throttled" ? proved : { ok: false, reason: "otp-wrong", factors };
    }
    method = `password+${proved.method}`;
  }
  await recordSuccess(keys);
  await recordAudit(prisma, { id: user.id, label: user.email, ip }, "auth.signed_in", null, { method });
  return { ok: true, user };
}
