// Every operation of Keyward's HTTP API, with the very zod schemas its route parses (imported
// from lib/, where the routes import them too) and the schemas of what it answers. The document
// (document.ts) is generated from this list; document.test.ts fails when a route file exports a
// method this list does not describe, or declares other schemas than the ones listed here.
import { z } from "zod";
import { ZListAuditQuery } from "@/lib/audit/list-audit";
import { ZAuditExportQuery } from "@/lib/audit/export-audit";
import { ZIdParams } from "@/lib/api/text";
import { ZBlacklistKeyRequest } from "@/lib/keys/blacklist-key";
import { ZIssueKeyRequest } from "@/lib/keys/issue-key";
import { ZAdminKeysQuery, ZKeysQuery } from "@/lib/keys/list-keys";
import { ZRevokeKeyRequest } from "@/lib/keys/revoke-key";
import { ZRotateKeyRequest } from "@/lib/keys/rotate-key";
import { ZVerifyRequest } from "@/lib/keys/verify-key";
import { ZKeyLimits } from "@/lib/limits/key-limits";
import { ZGitHubMatches } from "@/lib/leaks/github-scanning";
import { ZLeakReport } from "@/lib/leaks/report-leak";
import { ZListOutboxQuery } from "@/lib/notify/list-outbox";
import { ZListNotificationsQuery, ZMarkReadRequest } from "@/lib/notify/notifications";
import { ZUpdatePreferencesRequest } from "@/lib/notify/preferences";
import { ZListSweepsQuery } from "@/lib/sweep/list-sweeps";
import { ZInvitationIdParams, ZInvitationParams, ZInviteRequest } from "@/lib/teams/invitations";
import { ZChangeRoleRequest, ZMemberParams } from "@/lib/teams/members";
import { ZCreateTeamRequest, ZRenameTeamRequest } from "@/lib/teams/teams";
import { ZListUsersQuery, ZSetRoleRequest } from "@/lib/users/admin-users";
import { ZAdminUsageQuery } from "@/lib/usage/admin-usage";
import { ZKeyUsageQuery } from "@/lib/usage/usage-range";
import { ZDeleteAccountRequest } from "@/lib/users/delete-account";
import { ZChangePasswordRequest } from "@/lib/users/change-password";
import { ZDeliveryParams, ZListDeliveriesQuery } from "@/lib/webhooks/deliveries";
import { ZCreateWebhookRequest, ZListWebhooksQuery, ZUpdateWebhookRequest } from "@/lib/webhooks/endpoints";
import * as R from "./responses";

/**
 * public: anyone. user: a signed-in session (cookie). admin: a site admin's session. cron: the
 * CRON_SECRET bearer. key: an API key, checked by the gate (proxy.ts). github: GitHub's signature.
 */
export type OperationAccess = "public" | "user" | "admin" | "cron" | "key" | "github";
export type HttpMethod = "get" | "post" | "patch" | "delete";

export interface ResponseSpec {
  description: string;
  /** JSON unless `content` names other media types. */
  schema?: z.ZodType;
  content?: Record<string, { schema: z.ZodType; description?: string }>;
}

export interface Operation {
  method: HttpMethod;
  /** As the app/ tree serves it, with `:name` parameters. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  access: OperationAccess;
  body?: z.ZodType;
  query?: z.ZodType;
  params?: z.ZodType;
  /** The route parses the body itself (a signature over the raw bytes comes first). */
  bodyParsedByHandler?: boolean;
  responses: Record<number, ResponseSpec>;
  /** Refusals beyond the ones access, params, query and body imply. */
  errors?: number[];
}

const ok = (schema: z.ZodType, description = "OK"): Record<number, ResponseSpec> => ({ 200: { description, schema } });
const flag = (name: string, value: boolean) => z.object({ [name]: z.literal(value) });

export const OPERATIONS: Operation[] = [
  // Service
  { method: "get", path: "/api/health", operationId: "health", summary: "Liveness and database reachability", tag: "Service", access: "public", responses: ok(R.ZOk), errors: [503] },
  { method: "get", path: "/api/ping", operationId: "ping", summary: "Liveness without the database", tag: "Service", access: "public", responses: ok(R.ZPing) },
  {
    method: "get",
    path: "/api/cron/sweep",
    operationId: "sweepGet",
    summary: "Run the sweep (Vercel Cron sends GET)",
    description: "Blacklists expired keys, ends grace periods, records reminders and notices, purges long-dead keys. Safe to run twice at once.",
    tag: "Sweep",
    access: "cron",
    responses: ok(R.ZSweepSummary, "The run's summary"),
  },
  {
    method: "post",
    path: "/api/cron/sweep",
    operationId: "sweepPost",
    summary: "Run the sweep (crontab, curl, Kubernetes jobs)",
    description: "The same as GET.",
    tag: "Sweep",
    access: "cron",
    responses: ok(R.ZSweepSummary, "The run's summary"),
  },
  // Keys
  {
    method: "post",
    path: "/api/v1/keys/verify",
    operationId: "verifyKey",
    summary: "Check a key",
    description: "Every well-formed request gets 200 with a verdict; `valid` is true only for VALID. Never VALID on doubt (503).",
    tag: "Keys",
    access: "public",
    body: ZVerifyRequest,
    responses: ok(R.ZVerifyResult, "The verdict"),
    errors: [429, 503],
  },
  {
    method: "get",
    path: "/api/v1/keys",
    operationId: "listKeys",
    summary: "List your keys, or a team's",
    description: "`team`: a team you belong to (404 otherwise, like a team that does not exist).",
    tag: "Keys",
    access: "user",
    query: ZKeysQuery,
    responses: ok(R.ZKeyPage),
    errors: [404],
  },
  {
    method: "post",
    path: "/api/v1/keys",
    operationId: "issueKey",
    summary: "Issue a key",
    description:
      "The plaintext is in this answer once; only its hash is kept. `teamId`: the key belongs to that team (you must be at least its MEMBER). `rateLimit`, `allowedIps` and `usageCap` set the key's limits (each optional).",
    tag: "Keys",
    access: "user",
    body: ZIssueKeyRequest,
    responses: { 201: { description: "Issued", schema: R.ZIssuedKey } },
    errors: [403, 404],
  },
  { method: "get", path: "/api/v1/keys/:id", operationId: "getKey", summary: "One of your keys", tag: "Keys", access: "user", params: ZIdParams, responses: ok(R.ZKeyView) },
  {
    method: "get",
    path: "/api/v1/keys/:id/usage",
    operationId: "getKeyUsage",
    summary: "A key's verifications over time, by outcome",
    description:
      "Every answer about the key per hour or day and outcome (VALID and each refusal), zero-filled, with totals, its use count, last use and the gate's last client address. Anyone who may see the key may see this; someone else's key is a 404. Counters reach the database with the usage flush, within seconds. Ranges: at most 90 days by hour, 400 by day (422 beyond).",
    tag: "Keys",
    access: "user",
    params: ZIdParams,
    query: ZKeyUsageQuery,
    responses: ok(R.ZKeyUsage),
  },
  {
    method: "post",
    path: "/api/v1/keys/:id/revoke",
    operationId: "revokeKey",
    summary: "Revoke one of your keys",
    tag: "Keys",
    access: "user",
    params: ZIdParams,
    body: ZRevokeKeyRequest,
    responses: ok(R.ZKeyView, "The key, now blacklisted as REVOKED"),
    errors: [409],
  },
  {
    method: "post",
    path: "/api/v1/keys/:id/rotate",
    operationId: "rotateKey",
    summary: "Renew or rotate a key",
    description: "A new key with the same name and scopes; the old one keeps working for `grace`, then answers REVOKED (ROTATED).",
    tag: "Keys",
    access: "user",
    params: ZIdParams,
    body: ZRotateKeyRequest,
    responses: { 201: { description: "The new key (plaintext once) and the old one", schema: R.ZRotatedKey } },
    errors: [403, 409],
  },
  {
    method: "patch",
    path: "/api/v1/keys/:id/limits",
    operationId: "changeKeyLimits",
    summary: "Change a key's limits",
    description:
      "Each field sent replaces that limit (`null` removes a rate limit or cap, `[]` an allowlist); fields left out stay. Every instance obeys the new limits from the next verification; raising a usage cap revives a key that answered USAGE_EXCEEDED. For a team key: its issuer or a team admin (403 otherwise). A key that no longer works (blacklisted or expired) answers 409.",
    tag: "Keys",
    access: "user",
    params: ZIdParams,
    body: ZKeyLimits,
    responses: ok(R.ZKeyView, "The key with its new limits"),
    errors: [403, 409],
  },
  {
    method: "get",
    path: "/api/v1/protected/whoami",
    operationId: "whoAmI",
    summary: "The key and owner the gate authenticated",
    description:
      "Behind the gate: `Authorization: Bearer <key>` or `X-API-Key: <key>`. A refused key answers 403 with the verify route's body; a key past its rate limit answers 429 with that body (RATE_LIMITED) and `Retry-After`.",
    tag: "Keys",
    access: "key",
    responses: {
      ...ok(R.ZWhoAmI),
      403: { description: "The key is refused: the verify route's verdict (code, renewUrl, …)", schema: R.ZVerifyResult },
      429: {
        description: "The key's rate limit is used up (the verdict, RATE_LIMITED), or this client sent too many key checks (a Problem); wait Retry-After seconds",
        content: { "application/json": { schema: R.ZVerifyResult }, "application/problem+json": { schema: R.ZProblem } },
      },
    },
  },
  // Teams
  { method: "get", path: "/api/v1/teams", operationId: "listTeams", summary: "The teams you belong to", tag: "Teams", access: "user", responses: ok(z.object({ items: z.array(R.ZTeam) })) },
  {
    method: "post",
    path: "/api/v1/teams",
    operationId: "createTeam",
    summary: "Create a team (you become its owner)",
    description: "Needs a verified address (403). A slug already taken answers 409.",
    tag: "Teams",
    access: "user",
    body: ZCreateTeamRequest,
    responses: { 201: { description: "Created", schema: R.ZTeam } },
    errors: [403, 409],
  },
  { method: "get", path: "/api/v1/teams/:id", operationId: "getTeam", summary: "A team you belong to", tag: "Teams", access: "user", params: ZIdParams, responses: ok(R.ZTeam) },
  { method: "patch", path: "/api/v1/teams/:id", operationId: "renameTeam", summary: "Rename a team (owners)", tag: "Teams", access: "user", params: ZIdParams, body: ZRenameTeamRequest, responses: ok(R.ZTeam), errors: [403] },
  {
    method: "delete",
    path: "/api/v1/teams/:id",
    operationId: "deleteTeam",
    summary: "Delete a team (owners)",
    description: "Refused (409) while any team key still works: revoke them or rotate them to another owner first.",
    tag: "Teams",
    access: "user",
    params: ZIdParams,
    responses: ok(flag("deleted", true)),
    errors: [403, 409],
  },
  { method: "get", path: "/api/v1/teams/:id/members", operationId: "listTeamMembers", summary: "A team's members", tag: "Teams", access: "user", params: ZIdParams, responses: ok(z.object({ items: z.array(R.ZTeamMember) })) },
  {
    method: "patch",
    path: "/api/v1/teams/:id/members/:userId",
    operationId: "changeTeamRole",
    summary: "Change a member's role (owners)",
    description: "The last owner cannot be demoted (409).",
    tag: "Teams",
    access: "user",
    params: ZMemberParams,
    body: ZChangeRoleRequest,
    responses: ok(R.ZTeamMember),
    errors: [403, 409],
  },
  {
    method: "delete",
    path: "/api/v1/teams/:id/members/:userId",
    operationId: "removeTeamMember",
    summary: "Remove a member (admins; owners for owners), or leave (yourself)",
    description: "Takes effect at the member's next request. The keys they issued stay the team's. The last owner cannot leave (409).",
    tag: "Teams",
    access: "user",
    params: ZMemberParams,
    responses: ok(flag("removed", true)),
    errors: [403, 409],
  },
  { method: "get", path: "/api/v1/teams/:id/invitations", operationId: "listTeamInvitations", summary: "Pending invitations (admins)", tag: "Teams", access: "user", params: ZIdParams, responses: ok(z.object({ items: z.array(R.ZTeamInvitation) })), errors: [403] },
  {
    method: "post",
    path: "/api/v1/teams/:id/invitations",
    operationId: "inviteToTeam",
    summary: "Invite by email with a role (admins; owners invite owners)",
    description: "The invitation is emailed through the outbox and works for 7 days; a new one to the same address replaces the pending one.",
    tag: "Teams",
    access: "user",
    params: ZIdParams,
    body: ZInviteRequest,
    responses: { 201: { description: "Invited", schema: R.ZTeamInvitation } },
    errors: [403, 409],
  },
  {
    method: "delete",
    path: "/api/v1/teams/:id/invitations/:invitationId",
    operationId: "revokeTeamInvitation",
    summary: "Revoke a pending invitation (admins)",
    tag: "Teams",
    access: "user",
    params: ZInvitationIdParams,
    responses: ok(flag("revoked", true)),
    errors: [403],
  },
  { method: "get", path: "/api/v1/teams/:id/audit", operationId: "teamAudit", summary: "The team's audit log (owners and admins)", tag: "Teams", access: "user", params: ZIdParams, query: ZListAuditQuery, responses: ok(R.ZAuditPage), errors: [403] },
  {
    method: "get",
    path: "/api/v1/teams/:id/audit/export",
    operationId: "teamExportAudit",
    summary: "Download the team's audit log (owners; CSV or JSON Lines)",
    description: "The admin export, narrowed to the team's events.",
    tag: "Teams",
    access: "user",
    params: ZIdParams,
    query: ZAuditExportQuery,
    responses: {
      200: {
        description: "A file download (Content-Disposition: attachment)",
        content: {
          "text/csv": { schema: z.string(), description: "Header row, then one event per row" },
          "application/jsonl": { schema: R.ZAuditEvent, description: "One AuditEvent per line" },
        },
      },
    },
    errors: [403],
  },
  {
    method: "post",
    path: "/api/v1/invitations/:token/accept",
    operationId: "acceptInvitation",
    summary: "Accept an invitation",
    description: "Signed in with the invited, verified address. Every outcome is a 200 saying what happened.",
    tag: "Teams",
    access: "user",
    params: ZInvitationParams,
    responses: ok(R.ZAcceptResult),
  },
  {
    method: "delete",
    path: "/api/v1/me",
    operationId: "deleteAccount",
    summary: "Delete your account",
    description: "Confirmed by typing your address. Your personal keys are revoked (\"owner account deleted\"); team keys you issued keep working. Refused (409) while you are a team's last owner.",
    tag: "Account",
    access: "user",
    body: ZDeleteAccountRequest,
    responses: ok(z.object({ deleted: z.literal(true), revokedKeys: z.number().int() })),
    errors: [409],
  },
  // Leaked keys
  {
    method: "post",
    path: "/api/v1/leaks/report",
    operationId: "reportLeak",
    summary: "Report a leaked key",
    description: "Always the same 202, so it cannot be used to test keys. A genuine key is blacklisted LEAKED at once.",
    tag: "Leaked keys",
    access: "public",
    body: ZLeakReport,
    responses: { 202: { description: "Received", schema: z.object({ received: z.literal(true), message: z.string() }) } },
    errors: [429],
  },
  {
    method: "post",
    path: "/api/v1/leaks/github",
    operationId: "githubSecretScanning",
    summary: "GitHub secret scanning partner endpoint",
    description: "Signed by GitHub (ECDSA P-256 over the raw body, headers Github-Public-Key-Identifier and Github-Public-Key-Signature). 404 unless SECRET_SCANNING_PUBLIC_KEYS is set.",
    tag: "Leaked keys",
    access: "github",
    body: ZGitHubMatches,
    bodyParsedByHandler: true,
    responses: ok(R.ZGitHubFeedback, "GitHub's feedback array"),
    errors: [400, 404, 413, 422],
  },
  // Account
  { method: "get", path: "/api/v1/notifications", operationId: "listNotifications", summary: "Your notices", tag: "Account", access: "user", query: ZListNotificationsQuery, responses: ok(R.ZNotificationPage) },
  {
    method: "post",
    path: "/api/v1/notifications/read",
    operationId: "markNotificationsRead",
    summary: "Mark notices read",
    tag: "Account",
    access: "user",
    body: ZMarkReadRequest,
    responses: ok(z.object({ updated: z.number().int() })),
  },
  { method: "get", path: "/api/v1/me/preferences", operationId: "getPreferences", summary: "Your email preferences", tag: "Account", access: "user", responses: ok(R.ZPreferencesView) },
  {
    method: "patch",
    path: "/api/v1/me/preferences",
    operationId: "updatePreferences",
    summary: "Change some email preferences",
    tag: "Account",
    access: "user",
    body: ZUpdatePreferencesRequest,
    responses: ok(R.ZPreferencesView),
  },
  {
    method: "post",
    path: "/api/v1/me/password",
    operationId: "changePassword",
    summary: "Change (or set) your password",
    description: "Ends your other sessions; this one gets a fresh cookie.",
    tag: "Account",
    access: "user",
    body: ZChangePasswordRequest,
    responses: ok(R.ZOk),
    errors: [403, 429],
  },
  {
    method: "post",
    path: "/api/v1/me/verification",
    operationId: "resendVerification",
    summary: "Email a new verification link",
    tag: "Account",
    access: "user",
    responses: { 202: { description: "Sent", schema: flag("sent", true) } },
    errors: [409, 429],
  },
  {
    method: "get",
    path: "/api/v1/me/github",
    operationId: "getGitHubLink",
    summary: "Whether GitHub is connected",
    tag: "Account",
    access: "user",
    responses: ok(z.object({ linked: z.boolean(), hasPassword: z.boolean() })),
  },
  {
    method: "delete",
    path: "/api/v1/me/github",
    operationId: "unlinkGitHub",
    summary: "Disconnect GitHub",
    tag: "Account",
    access: "user",
    responses: ok(flag("linked", false)),
    errors: [409],
  },
  {
    method: "post",
    path: "/api/v1/me/github/connect",
    operationId: "connectGitHub",
    summary: "Start connecting GitHub",
    description: "Answers the GitHub address to open; the identity is linked when GitHub sends the browser back.",
    tag: "Account",
    access: "user",
    responses: ok(z.object({ url: z.string() })),
    errors: [403, 404],
  },
  // Webhooks
  { method: "get", path: "/api/v1/webhooks", operationId: "listWebhooks", summary: "Your webhook endpoints", tag: "Webhooks", access: "user", query: ZListWebhooksQuery, responses: ok(z.object({ items: z.array(R.ZWebhookEndpoint) })), errors: [403] },
  {
    method: "post",
    path: "/api/v1/webhooks",
    operationId: "createWebhook",
    summary: "Add a webhook endpoint",
    description: "The signing secret is in this answer, once. `scope: global` (every key's events) is for site admins.",
    tag: "Webhooks",
    access: "user",
    body: ZCreateWebhookRequest,
    responses: { 201: { description: "Added", schema: z.object({ endpoint: R.ZWebhookEndpoint, secret: z.string() }) } },
    errors: [403],
  },
  { method: "get", path: "/api/v1/webhooks/:id", operationId: "getWebhook", summary: "One webhook endpoint", tag: "Webhooks", access: "user", params: ZIdParams, responses: ok(R.ZWebhookEndpoint) },
  {
    method: "patch",
    path: "/api/v1/webhooks/:id",
    operationId: "updateWebhook",
    summary: "Change a webhook endpoint",
    tag: "Webhooks",
    access: "user",
    params: ZIdParams,
    body: ZUpdateWebhookRequest,
    responses: ok(R.ZWebhookEndpoint),
  },
  { method: "delete", path: "/api/v1/webhooks/:id", operationId: "deleteWebhook", summary: "Delete a webhook endpoint", tag: "Webhooks", access: "user", params: ZIdParams, responses: ok(flag("deleted", true)) },
  { method: "post", path: "/api/v1/webhooks/:id/test", operationId: "testWebhook", summary: "Send a test event now", tag: "Webhooks", access: "user", params: ZIdParams, responses: ok(R.ZWebhookDelivery, "How the receiver took it") },
  {
    method: "post",
    path: "/api/v1/webhooks/:id/roll-secret",
    operationId: "rollWebhookSecret",
    summary: "A new signing secret",
    description: "The old secret keeps signing alongside the new one until `previousValidUntil`.",
    tag: "Webhooks",
    access: "user",
    params: ZIdParams,
    responses: ok(z.object({ secret: z.string(), previousValidUntil: z.iso.datetime() })),
  },
  {
    method: "get",
    path: "/api/v1/webhooks/:id/deliveries",
    operationId: "listWebhookDeliveries",
    summary: "Recent deliveries",
    tag: "Webhooks",
    access: "user",
    params: ZIdParams,
    query: ZListDeliveriesQuery,
    responses: ok(z.object({ items: z.array(R.ZWebhookDelivery), page: z.number().int(), pageSize: z.number().int(), total: z.null(), hasNext: z.boolean() })),
  },
  {
    method: "post",
    path: "/api/v1/webhooks/:id/deliveries/:deliveryId/redeliver",
    operationId: "redeliverWebhook",
    summary: "Send a delivery again",
    tag: "Webhooks",
    access: "user",
    params: ZDeliveryParams,
    responses: { 202: { description: "Queued", schema: flag("queued", true) } },
  },
  // Admin
  {
    method: "get",
    path: "/api/v1/admin/keys",
    operationId: "adminListKeys",
    summary: "Every key, searchable by owner, name, prefix; filtered by owner",
    tag: "Admin",
    access: "admin",
    query: ZAdminKeysQuery,
    responses: ok(R.ZKeyPage),
  },
  { method: "get", path: "/api/v1/admin/teams", operationId: "adminListTeams", summary: "Every team, with its owners", tag: "Admin", access: "admin", responses: ok(z.object({ items: z.array(R.ZAdminTeam) })) },
  {
    method: "post",
    path: "/api/v1/admin/blacklist",
    operationId: "adminBlacklistKey",
    summary: "Blacklist any key, by id or by its pasted plaintext",
    tag: "Admin",
    access: "admin",
    body: ZBlacklistKeyRequest,
    responses: ok(R.ZBlacklistedKey),
    errors: [404, 409],
  },
  { method: "get", path: "/api/v1/admin/audit", operationId: "adminListAudit", summary: "The audit log, newest first", tag: "Admin", access: "admin", query: ZListAuditQuery, responses: ok(R.ZAuditPage) },
  {
    method: "get",
    path: "/api/v1/admin/audit/export",
    operationId: "adminExportAudit",
    summary: "Download the audit log (CSV or JSON Lines)",
    description:
      "Oldest first, streamed in batches, any size. CSV cells that would start a spreadsheet formula (= + - @, tab, CR) get a leading apostrophe. The export itself is recorded as `audit.exported`.",
    tag: "Admin",
    access: "admin",
    query: ZAuditExportQuery,
    responses: {
      200: {
        description: "A file download (Content-Disposition: attachment)",
        content: {
          "text/csv": { schema: z.string(), description: "Header row, then one event per row: id, at, actorId, actorLabel, action, keyId, teamId, ip, detail (JSON)" },
          "application/jsonl": { schema: R.ZAuditEvent, description: "One AuditEvent per line" },
        },
      },
    },
  },
  { method: "get", path: "/api/v1/admin/outbox", operationId: "adminListOutbox", summary: "Emails with delivery status", tag: "Admin", access: "admin", query: ZListOutboxQuery, responses: ok(R.ZOutboxPage) },
  { method: "get", path: "/api/v1/admin/sweeps", operationId: "adminListSweeps", summary: "Sweep runs and whether the cron still runs", tag: "Admin", access: "admin", query: ZListSweepsQuery, responses: ok(R.ZSweepPage) },
  {
    method: "get",
    path: "/api/v1/admin/usage",
    operationId: "adminUsage",
    summary: "Usage across every key",
    description:
      "Answers per hour and outcome over the last `hours`, the keys with the most traffic and the most refusals in that window, and working keys unused for `unusedDays` (a never-used key counts from its creation), oldest first, a page at a time.",
    tag: "Admin",
    access: "admin",
    query: ZAdminUsageQuery,
    responses: ok(R.ZAdminUsage),
  },
  { method: "get", path: "/api/v1/admin/users", operationId: "adminListUsers", summary: "Every account", tag: "Admin", access: "admin", query: ZListUsersQuery, responses: ok(R.ZUserPage) },
  {
    method: "post",
    path: "/api/v1/admin/users/:id/role",
    operationId: "adminSetRole",
    summary: "Make a user an admin or not",
    description: "Their sessions end. The last admin cannot be demoted (409).",
    tag: "Admin",
    access: "admin",
    params: ZIdParams,
    body: ZSetRoleRequest,
    responses: ok(z.object({ role: z.enum(["USER", "ADMIN"]) })),
    errors: [409],
  },
  {
    method: "post",
    path: "/api/v1/admin/users/:id/sign-out",
    operationId: "adminSignOutUser",
    summary: "End every session of a user",
    tag: "Admin",
    access: "admin",
    params: ZIdParams,
    responses: ok(flag("signedOut", true)),
  },
  {
    method: "get",
    path: "/api/openapi.json",
    operationId: "openApiDocument",
    summary: "This document",
    tag: "Service",
    access: "public",
    responses: ok(z.object({ openapi: z.string() }).loose(), "OpenAPI 3.1"),
  },
];
