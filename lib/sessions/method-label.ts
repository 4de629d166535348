import { oidcName } from "@/lib/sso/oidc-config";

/** How a session signed in, as a person reads it (next-auth's provider ids). */
export function methodLabel(method: string): string {
  if (method === "credentials") return "password";
  if (method === "github") return "GitHub";
  if (method === "oidc") return oidcName();
  return method;
}
