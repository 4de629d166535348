import "server-only";
import { cookies } from "next/headers";
import { env } from "@/lib/env";
import { forbidden, KeywardError } from "@/lib/errors";
import type { SessionUser } from "@/lib/users/authenticate";
import { findAuthenticatedUser } from "@/lib/users/authenticate";
import type { ExternalProvider } from "@/lib/users/external-accounts";
import { createLinkIntent, LINK_INTENT_COOKIE, linkIntentCookie } from "./link-intent";

/**
 * "Connect <provider>" from Settings: leaves the signed link intent in this browser, so the
 * identity the provider sends back is linked to this account and this session (and no other).
 */
export async function startConnecting(
  provider: ExternalProvider,
  user: SessionUser,
  providerName: string,
): Promise<void> {
  if (!user.emailVerified) throw forbidden(`Verify your email address before connecting ${providerName}.`);
  const current = await findAuthenticatedUser(user.id);
  if (!current || !user.sessionId) throw new KeywardError("UNAUTHORIZED", "Sign in to use this endpoint.");
  (await cookies()).set(
    LINK_INTENT_COOKIE,
    createLinkIntent(provider, { userId: user.id, sessionVersion: current.sessionVersion, sessionId: user.sessionId }),
    linkIntentCookie(env.APP_URL),
  );
}
