import "server-only";
import { recordAudit } from "@/lib/audit/record-audit";
import { blockedUntil, recordFailure, throttleKeys } from "@/lib/auth/throttle";
import { prisma } from "@/lib/db/client";
import { findAuthenticatedUser, type AuthenticatedUser } from "@/lib/users/authenticate";
import { checkAssertion } from "./authenticate-passkey";

export type PasskeySignIn =
  | { ok: true; user: AuthenticatedUser }
  | { ok: false; reason: "refused" }
  | { ok: false; reason: "throttled"; until: Date };

/** The largest assertion JSON taken (real ones are well under 2 KiB). */
export const MAX_ASSERTION_CHARS = 16_384;

/**
 * A passkey alone signs in. The same rules as a password: refusals are throttled per client (the
 * same counter as failed passwords from that client, so switching methods buys no guesses), every
 * outcome is audited with the client's address, and a deleted account never signs in. An address
 * not yet verified signs in as with a password (the banner then asks for it), though a passkey is
 * only ever added to a verified account.
 */
export async function signInWithPasskey(assertionJson: string, ip: string | null): Promise<PasskeySignIn> {
  const keys = [throttleKeys("", ip).client];
  const until = await blockedUntil(keys);
  if (until) {
    await recordAudit(prisma, { id: null, label: "(passkey)", ip }, "auth.sign_in_failed", null, {
      method: "passkey",
      reason: "throttled",
      until: until.toISOString(),
    });
    return { ok: false, reason: "throttled", until };
  }
  let assertion: unknown = null;
  if (assertionJson.length <= MAX_ASSERTION_CHARS) {
    try {
      assertion = JSON.parse(assertionJson);
    } catch {
      assertion = null;
    }
  }
  const check = await checkAssertion(assertion, { requireUserVerification: true });
  const user = check.ok ? await findAuthenticatedUser(check.userId) : null;
  if (!check.ok || !user) {
    await recordFailure(keys);
    await recordAudit(prisma, { id: null, label: check.email ?? "(passkey)", ip }, "auth.sign_in_failed", null, {
      method: "passkey",
      reason: check.ok ? "account closed" : check.reason,
      ...(check.userId ? { userId: check.userId } : {}),
    });
    return { ok: false, reason: "refused" };
  }
  await recordAudit(prisma, { id: user.id, label: user.email, ip }, "auth.signed_in", null, {
    method: "passkey",
    passkeyId: check.passkeyId,
  });
  return { ok: true, user };
}
