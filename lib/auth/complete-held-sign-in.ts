import "server-only";
import { recordAudit } from "@/lib/audit/record-audit";
import { prisma } from "@/lib/db/client";
import { factorsOf, proveSecondFactor } from "@/lib/second-factor";
import { findAuthenticatedUser } from "@/lib/users/authenticate";
import type { HeldSignIn } from "./held-sign-in";
import type { PasswordSignIn } from "./password-sign-in";

/**
 * The second step of an external sign-in held for the account's second factor (held-sign-in.ts):
 * the same proof, throttle and audit as after a password. A hold whose account has since changed
 * its sessions (password, sign out everywhere) or gone is void: the person starts over.
 */
export async function completeHeldSignIn(
  held: HeldSignIn,
  ip: string | null,
  second: { otp?: string; passkey?: unknown },
): Promise<PasswordSignIn> {
  const user = await findAuthenticatedUser(held.userId);
  if (!user || user.sessionVersion !== held.sessionVersion) return { ok: false, reason: "wrong" };
  const attempt = { id: null, label: user.email, ip };
  let method: string = held.provider;
  // An account whose factors were removed meanwhile (an admin's reset) needs only the provider.
  const factors = await factorsOf(user.id);
  if (factors.length > 0) {
    if (!second.otp && second.passkey === undefined) return { ok: false, reason: "otp-required", factors };
    const proved = await proveSecondFactor(user.id, second, { ip });
    if (!proved.ok) {
      await recordAudit(prisma, attempt, "auth.sign_in_failed", null, {
        reason: proved.reason === "throttled" ? "throttled" : `wrong second factor after ${held.provider}`,
      });
      return proved.reason === "throttled" ? proved : { ok: false, reason: "otp-wrong", factors };
    }
    method = `${held.provider}+${proved.method}`;
  }
  await recordAudit(prisma, { id: user.id, label: user.email, ip }, "auth.signed_in", null, { method });
  return { ok: true, user };
}
