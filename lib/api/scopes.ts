// What an API token may be used for (lib/tokens). Every /api/v1 route declares the one scope it
// needs next to its access rule (withApi); a session has them all, within what its person may do.
// Pure: the routes, the token pages and the OpenAPI document share it.
import { z } from "zod";

export const API_SCOPES = [
  "keys:read",
  "keys:write",
  "teams:read",
  "teams:write",
  "webhooks:read",
  "webhooks:write",
  "usage:read",
  "audit:read",
  "admin:read",
  "admin:write",
  "verify",
  "tokens:read",
  "tokens:write",
] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export const ZApiScope = z.enum(API_SCOPES);

/** What each scope lets a token do, for the token pages and the OpenAPI document. */
export const SCOPE_DESCRIPTIONS: Record<ApiScope, string> = {
  "keys:read": "List and read keys",
  "keys:write": "Issue, rotate and revoke keys; change their limits",
  "teams:read": "Read teams, members and invitations",
  "teams:write": "Create and change teams, members and invitations",
  "webhooks:read": "Read webhook endpoints and deliveries",
  "webhooks:write": "Add, change and remove webhook endpoints",
  "usage:read": "Read keys' usage",
  "audit:read": "Read audit logs",
  "admin:read": "Site admins: read every key, user, team, sweep and email",
  "admin:write": "Site admins: blacklist keys, change users' roles",
  verify: "Verify keys (POST /api/v1/keys/verify)",
  "tokens:read": "List and read API tokens",
  "tokens:write": "Make, rotate and revoke API tokens",
};

/** Scopes only a site admin's token may carry, and use only while its owner is a site admin. */
export const ADMIN_SCOPES: readonly ApiScope[] = ["admin:read", "admin:write"];
