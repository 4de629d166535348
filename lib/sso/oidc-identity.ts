// What an OpenID Connect sign-in tells about the person: the ID token's claims, with the userinfo
// endpoint's on top (some providers put the address or the groups in only one of them). Pure: the
// claims arrive already checked by next-auth (issuer, audience, nonce, and userinfo's sub).
import type { ExternalEmails } from "@/lib/users/external-accounts";

export interface OidcClaims {
  sub: string;
  name: string | null;
  email: string | null;
  emailVerified: boolean;
  groups: string[];
}

type Claims = Record<string, unknown>;

/** The payload of a JWT, without checking it (next-auth has); null when it is not one. */
export function jwtPayload(token: unknown): Claims | null {
  if (typeof token !== "string") return null;
  const part = token.split(".")[1];
  if (!part) return null;
  try {
    const payload = JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as unknown;
    return payload && typeof payload === "object" && !Array.isArray(payload) ? (payload as Claims) : null;
  } catch {
    return null;
  }
}

const text = (value: unknown, max: number): string | null =>
  typeof value === "string" && value.trim() ? value.trim().slice(0, max) : null;

/**
 * One view of the person from the ID token and the userinfo answer (userinfo wins where both say
 * something). email_verified must be the boolean true (or the string "true", as some providers
 * send it); anything else is unverified. groups may be a list or one string.
 */
export function oidcClaims(idToken: Claims | null, userinfo: Claims | null | undefined): OidcClaims | null {
  const merged: Claims = { ...(idToken ?? {}), ...(userinfo ?? {}) };
  const sub = text(merged.sub, 255);
  if (!sub) return null;
  const email = text(merged.email, 254)?.toLowerCase() ?? null;
  const rawGroups = merged.groups;
  const groups = (Array.isArray(rawGroups) ? rawGroups : typeof rawGroups === "string" ? [rawGroups] : [])
    .filter((g): g is string => typeof g === "string")
    .slice(0, 1000);
  return {
    sub,
    name: text(merged.name, 200) ?? text(merged.preferred_username, 200),
    email: email && email.includes("@") ? email : null,
    emailVerified: merged.email_verified === true || merged.email_verified === "true",
    groups,
  };
}

/** The identity's addresses as the linking rules see them: only a verified one counts. */
export function oidcEmails(claims: OidcClaims): ExternalEmails {
  return claims.email && claims.emailVerified
    ? { primary: claims.email, verified: [claims.email] }
    : { primary: null, verified: [] };
}

/**
 * OIDC_ALLOWED_DOMAINS: with a list, only a verified address in one of those domains may sign in
 * or connect (exactly the domain; a subdomain is another domain). Without one, anyone the
 * provider lets through may.
 */
export function domainRefusal(
  claims: OidcClaims,
  allowedDomains: readonly string[],
): "unverified-identity" | "domain-not-allowed" | null {
  if (allowedDomains.length === 0) return null;
  if (!claims.email || !claims.emailVerified) return "unverified-identity";
  const domain = claims.email.slice(claims.email.lastIndexOf("@") + 1);
  return allowedDomains.includes(domain) ? null : "domain-not-allowed";
}
