import "server-only";
import { isExternalProvider, type ExternalProvider } from "@/lib/users/external-accounts";
import { readCookieValue, signCookieValue, signedCookieOptions } from "./signed-cookie";

// An external sign-in (GitHub, OIDC) held for the account's second factor. The provider's
// sign-in proves one factor; this cookie remembers that it did, in this browser only, until the
// sign-in page's second step gives the code or the passkey (lib/auth/index.ts, the credentials
// provider's `held` field). Signed with AUTH_SECRET, bound to the provider, the account and its
// session version (a password change or "sign out everywhere" voids it), and valid for five
// minutes: long enough to open an authenticator app, short enough that a copy taken from the
// browser is soon worth nothing, and worth nothing without the second factor meanwhile.

export const HELD_SIGN_IN_COOKIE = "keyward.held-sign-in";
export const HELD_SIGN_IN_TTL_MS = 5 * 60_000;

/** What the sign-in page says when the held sign-in is gone. */
export const HELD_LAPSED =
  "That sign-in waited too long for its second step, or began in another browser. Sign in again.";

export interface HeldSignIn {
  provider: ExternalProvider;
  userId: string;
  sessionVersion: number;
}

const PURPOSE = "held-sign-in";

export function createHeldSignIn(held: HeldSignIn, now = Date.now()): string {
  return signCookieValue(PURPOSE, [held.provider, held.userId, held.sessionVersion], now + HELD_SIGN_IN_TTL_MS);
}

/** The held sign-in in the cookie, if it is genuine and unexpired, and for `provider`. */
export function readHeldSignIn(value: string | undefined, provider: string, now = Date.now()): HeldSignIn | null {
  const fields = readCookieValue(PURPOSE, value, 3, now);
  if (!fields || fields[0] !== provider || !isExternalProvider(provider)) return null;
  return { provider, userId: fields[1]!, sessionVersion: Number(fields[2]) };
}

/** Cookie options: first-party, script-proof, gone with the hold. */
export const heldSignInCookie = (appUrl: string) => signedCookieOptions(appUrl, HELD_SIGN_IN_TTL_MS);
