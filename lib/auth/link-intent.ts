import "server-only";
import type { ExternalProvider, LinkIntent } from "@/lib/users/external-accounts";
import { readCookieValue, signCookieValue, signedCookieOptions } from "./signed-cookie";

// The cookie that says "this browser's signed-in user asked to connect <provider>": set by the
// Connect route (/api/v1/me/<provider>/connect), read once when the provider sends the browser
// back. Signed with AUTH_SECRET, bound to the provider, the user, the session version and the
// session, and valid for ten minutes.

export const LINK_INTENT_COOKIE = "keyward.link";
export const LINK_INTENT_TTL_MS = 10 * 60_000;

export interface SignedLinkIntent extends LinkIntent {
  /** The session that asked (lib/sessions): ended since, the connection is refused. */
  sessionId: string;
}

const PURPOSE = "external-link";

export function createLinkIntent(provider: ExternalProvider, intent: SignedLinkIntent, now = Date.now()): string {
  return signCookieValue(
    PURPOSE,
    [provider, intent.userId, intent.sessionVersion, intent.sessionId],
    now + LINK_INTENT_TTL_MS,
  );
}

/** The intent in the cookie, if it is genuine, unexpired, and for this provider. */
export function readLinkIntent(
  value: string | undefined,
  provider: ExternalProvider,
  now = Date.now(),
): SignedLinkIntent | null {
  const fields = readCookieValue(PURPOSE, value, 4, now);
  if (!fields || fields[0] !== provider) return null;
  const [, userId, version, sessionId] = fields as [string, string, string, string];
  return { userId, sessionVersion: Number(version), sessionId };
}

/** Cookie options for the intent: first-party, script-proof, gone after ten minutes. */
export const linkIntentCookie = (appUrl: string) => signedCookieOptions(appUrl, LINK_INTENT_TTL_MS);
