import "server-only";
import type { Account, Profile } from "next-auth";
import { cookies, headers } from "next/headers";
import { clientIp } from "@/lib/api/client-ip";
import { env } from "@/lib/env";
import { isSessionLive } from "@/lib/sessions/check-session";
import { applyAdminGroup } from "@/lib/sso/admin-group";
import { domainRefusal, jwtPayload, oidcClaims, oidcEmails } from "@/lib/sso/oidc-identity";
import {
  GITHUB,
  resolveExternalSignIn,
  type ExternalIdentity,
  type ExternalProvider,
  type ExternalRefusal,
} from "@/lib/users/external-accounts";
import { safeCallbackUrl } from "./callback-url";
import { fetchVerifiedEmails } from "./github";
import { createHeldSignIn, HELD_SIGN_IN_COOKIE, heldSignInCookie } from "./held-sign-in";
import { LINK_INTENT_COOKIE, readLinkIntent } from "./link-intent";

/** Where an external sign-in goes: on to the session (true), or to a page (a path on our origin). */
export type ExternalSignInDecision = true | string;

const problemPage = (provider: ExternalProvider, refusal: ExternalRefusal) => `/auth/${provider}?problem=${refusal}`;

/** Who the provider says this is, or why that is not enough to go on. */
async function identityOf(
  provider: ExternalProvider,
  account: Account,
  profile: Profile | undefined,
): Promise<{ identity: ExternalIdentity; groups: string[] | null } | { refused: ExternalRefusal }> {
  if (provider === GITHUB) {
    if (!account.access_token) return { refused: "unverified-identity" };
    const name =
      typeof profile?.name === "string" ? profile.name : typeof profile?.login === "string" ? profile.login : null;
    return {
      identity: {
        provider,
        id: account.providerAccountId,
        name,
        emails: await fetchVerifiedEmails(account.access_token),
      },
      groups: null,
    };
  }
  // OIDC: the ID token's claims and userinfo's (profile), already checked by next-auth.
  const claims = oidcClaims(jwtPayload(account.id_token), profile as Record<string, unknown> | undefined);
  if (!claims || claims.sub !== account.providerAccountId) return { refused: "unverified-identity" };
  const refusal = domainRefusal(claims, env.OIDC_ALLOWED_DOMAINS);
  if (refusal) return { refused: refusal };
  return {
    identity: { provider, id: claims.sub, name: claims.name, emails: oidcEmails(claims) },
    groups: claims.groups,
  };
}

/**
 * The one place that decides what a completed external sign-in (GitHub, OIDC) leads to: a
 * refusal page, back to Settings after connecting the identity to the signed-in account, or on to
 * a session for the account the identity is linked to (made now, if sign-up allows). The rules are
 * in lib/users/external-accounts.ts; single sign-on's admin group is applied here, at sign-in.
 */
export async function decideExternalSignIn(
  provider: ExternalProvider,
  account: Account,
  profile: Profile | undefined,
): Promise<ExternalSignInDecision> {
  const jar = await cookies();
  const intent = readLinkIntent(jar.get(LINK_INTENT_COOKIE)?.value, provider);
  if (intent) jar.delete(LINK_INTENT_COOKIE);
  const ip = clientIp(await headers());
  const found = await identityOf(provider, account, profile);
  if ("refused" in found) return problemPage(provider, found.refused);
  if (intent && !(await isSessionLive(intent.sessionId, intent.userId))) return problemPage(provider, "session-ended");
  const outcome = await resolveExternalSignIn(found.identity, intent, ip);
  if ("refused" in outcome) return problemPage(provider, outcome.refused);
  // Connecting keeps the session the user already has: back to Settings, signed in as before.
  if (outcome.linked) return `/settings?${provider}=connected`;
  // The provider's word on groups holds whether or not the second factor follows.
  if (found.groups) await applyAdminGroup(outcome.userId, found.groups, ip);
  if (outcome.secondFactor) {
    jar.set(
      HELD_SIGN_IN_COOKIE,
      createHeldSignIn({ provider, userId: outcome.userId, sessionVersion: outcome.sessionVersion ?? 0 }),
      heldSignInCookie(env.APP_URL),
    );
    const next = safeCallbackUrl(
      onOurOrigin(jar.get(CALLBACK_COOKIE)?.value ?? jar.get(`__Secure-${CALLBACK_COOKIE}`)?.value),
      env.APP_URL,
    );
    return `/sign-in?${new URLSearchParams({ held: provider, callbackUrl: next })}`;
  }
  return true;
}

/** next-auth's own cookie: where the sign-in started to go (an absolute URL). */
const CALLBACK_COOKIE = "authjs.callback-url";

function onOurOrigin(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url, env.APP_URL);
    return parsed.origin === new URL(env.APP_URL).origin ? `${parsed.pathname}${parsed.search}` : undefined;
  } catch {
    return undefined;
  }
}
