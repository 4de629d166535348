import { env } from "@/lib/env";

// Single sign-on with one OpenID Connect provider (Keycloak, Okta, Entra ID, Google Workspace…),
// configured by OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET; next-auth discovers the rest
// from the issuer's /.well-known/openid-configuration.

export const oidcEnabled = Boolean(env.OIDC_ISSUER && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET);

/** The name people know the provider by: "Continue with <name>". */
export const oidcName = (): string => env.OIDC_NAME;

/** Where the browser is sent to sign in: pages' CSP form-action must allow it. */
export function oidcIssuerOrigin(): string | null {
  return oidcEnabled && env.OIDC_ISSUER ? new URL(env.OIDC_ISSUER).origin : null;
}
