// Every route and page Keyward serves, with who may call it and what it takes. The fuzz test and
// the authorization matrix walk this list; a unit test (routes.test.ts) fails when a route or
// page exists under app/ without an entry here, so a new route cannot skip either of them.

export type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

/**
 * public: anyone. user: a signed-in user (their own data). admin: site admins only.
 * cron: the CRON_SECRET bearer. key: an API key (the gate). auth: next-auth's own endpoints.
 */
export type Access = "public" | "user" | "admin" | "cron" | "key" | "auth";

export interface RouteSpec {
  /** Path with `:name` parameters (every parameter is a record id), or a trailing `*`. */
  path: string;
  methods: Method[];
  access: Access;
  kind: "api" | "page";
  /** Body fields, each with plausible values (the fuzzer mixes them with hostile ones). */
  body?: Record<string, unknown[]>;
  /** Query parameters, each with plausible values. */
  query?: Record<string, string[]>;
}

const LIST_QUERY = {
  tab: ["active", "expiring", "blacklisted", "all"],
  q: ["svc", "kw_", "a"],
  sort: ["createdAt", "expiresAt", "name", "lastUsedAt"],
  dir: ["asc", "desc"],
  page: ["1", "2", "100000"],
  pageSize: ["1", "20", "100"],
};
const PAGING = { page: ["1", "2"], pageSize: ["1", "20", "100"] };
const EXPIRY = [{ type: "days", days: 30 }, { type: "days", days: 7 }, { type: "date", date: "2027-01-31" }, { type: "never" }];

export const ROUTES: RouteSpec[] = [
  // API
  { path: "/api/health", methods: ["GET"], access: "public", kind: "api" },
  { path: "/api/ping", methods: ["GET"], access: "public", kind: "api" },
  { path: "/api/openapi.json", methods: ["GET"], access: "public", kind: "api" },
  { path: "/api/auth/*", methods: ["GET", "POST"], access: "auth", kind: "api" },
  { path: "/api/cron/sweep", methods: ["GET", "POST"], access: "cron", kind: "api" },
  { path: "/api/v1/keys/verify", methods: ["POST"], access: "public", kind: "api", body: { key: ["kw_x"], scope: ["read", "write"] } },
  { path: "/api/v1/leaks/report", methods: ["POST"], access: "public", kind: "api", body: { key: ["kw_x", "kw_KeywardSecretScanningTestKey003Vj8io"], url: ["https://gist.example.com/x"] } },
  { path: "/api/v1/leaks/github", methods: ["POST"], access: "public", kind: "api", body: { token: ["kw_x"], type: ["keyward_api_key"], url: ["https://x"] } },
  {
    path: "/api/v1/keys",
    methods: ["GET", "POST"],
    access: "user",
    kind: "api",
    query: LIST_QUERY,
    body: {
      name: ["fuzz key"],
      expiry: EXPIRY,
      scopes: [["read"], ["read", "write"]],
      rateLimit: [{ limit: 100, window: "minute" }, null, { limit: 0, window: "week" }],
      allowedIps: [["203.0.113.0/24", "2001:db8::/32"], [], ["10.0.0.0/33"]],
      usageCap: [1000, null, 0],
    },
  },
  { path: "/api/v1/keys/:id", methods: ["GET"], access: "user", kind: "api" },
  {
    path: "/api/v1/keys/:id/limits",
    methods: ["PATCH"],
    access: "user",
    kind: "api",
    body: {
      rateLimit: [{ limit: 10, window: "second" }, { limit: 5000, window: "day" }, null, { limit: 1.5, window: "hour" }],
      allowedIps: [["198.51.100.7"], ["::1", "10.0.0.0/8"], [], ["not-an-ip"]],
      usageCap: [1, 1_000_000, null, -1],
    },
  },
  {
    path: "/api/v1/keys/:id/usage",
    methods: ["GET"],
    access: "user",
    kind: "api",
    query: { from: ["2026-11-01", "2026-11-29T10:00:00Z", "0001-01-01"], to: ["2026-11-30", "2026-11-30T12:00:00+01:00", "9999-12-31"], granularity: ["hour", "day"] },
  },
  { path: "/api/v1/keys/:id/revoke", methods: ["POST"], access: "user", kind: "api", body: { note: ["no longer needed"] } },
  {
    path: "/api/v1/keys/:id/rotate",
    methods: ["POST"],
    access: "user",
    kind: "api",
    body: { grace: ["none", "1h", "24h", "7d", "until-expiry"], expiry: [{ type: "days", days: 30 }, ...EXPIRY] },
  },
  {
    path: "/api/v1/me/preferences",
    methods: ["GET", "PATCH"],
    access: "user",
    kind: "api",
    body: { emailReminders: [true, false], emailExpired: [true, false], emailBlacklisted: [true], timeZone: ["UTC", "Europe/Berlin"] },
  },
  { path: "/api/v1/notifications", methods: ["GET"], access: "user", kind: "api", query: { unread: ["true", "false"], ...PAGING } },
  { path: "/api/v1/notifications/read", methods: ["POST"], access: "user", kind: "api", body: { ids: [["x"]], all: [true] } },
  { path: "/api/v1/protected/whoami", methods: ["GET"], access: "key", kind: "api" },
  {
    path: "/api/v1/me/password",
    methods: ["POST"],
    access: "user",
    kind: "api",
    body: { currentPassword: ["wrong-password"], password: ["short", "a-long-enough-password"] },
  },
  { path: "/api/v1/me/verification", methods: ["POST"], access: "user", kind: "api" },
  { path: "/api/v1/me/github", methods: ["GET", "DELETE"], access: "user", kind: "api" },
  { path: "/api/v1/me/github/connect", methods: ["POST"], access: "user", kind: "api" },
  {
    path: "/api/v1/webhooks",
    methods: ["GET", "POST"],
    access: "user",
    kind: "api",
    query: { scope: ["personal", "global"] },
    body: { url: ["https://hooks.example.com/keyward", "http://127.0.0.1/x"], eventTypes: [["key.revoked"], ["key.created", "key.expired"]], description: ["ci"], scope: ["personal", "global"] },
  },
  {
    path: "/api/v1/webhooks/:id",
    methods: ["GET", "PATCH", "DELETE"],
    access: "user",
    kind: "api",
    body: { url: ["https://hooks.example.com/other"], eventTypes: [["key.leaked"]], enabled: [true, false], description: [null, "x"] },
  },
  { path: "/api/v1/webhooks/:id/test", methods: ["POST"], access: "user", kind: "api" },
  { path: "/api/v1/webhooks/:id/roll-secret", methods: ["POST"], access: "user", kind: "api" },
  { path: "/api/v1/webhooks/:id/deliveries", methods: ["GET"], access: "user", kind: "api", query: PAGING },
  { path: "/api/v1/webhooks/:id/deliveries/:deliveryId/redeliver", methods: ["POST"], access: "user", kind: "api" },
  { path: "/api/v1/me", methods: ["DELETE"], access: "user", kind: "api", body: { confirmEmail: ["nobody@example.test", ""] } },
  { path: "/api/v1/teams", methods: ["GET", "POST"], access: "user", kind: "api", body: { name: ["Fuzz team"], slug: ["fuzz-team", "-bad-"] } },
  { path: "/api/v1/teams/:id", methods: ["GET", "PATCH", "DELETE"], access: "user", kind: "api", body: { name: ["Renamed"] } },
  { path: "/api/v1/teams/:id/members", methods: ["GET"], access: "user", kind: "api" },
  { path: "/api/v1/teams/:id/members/:userId", methods: ["PATCH", "DELETE"], access: "user", kind: "api", body: { role: ["MEMBER", "ADMIN", "OWNER"] } },
  {
    path: "/api/v1/teams/:id/invitations",
    methods: ["GET", "POST"],
    access: "user",
    kind: "api",
    body: { email: ["invitee@example.test"], role: ["MEMBER", "ADMIN", "OWNER"] },
  },
  { path: "/api/v1/teams/:id/invitations/:invitationId", methods: ["DELETE"], access: "user", kind: "api" },
  { path: "/api/v1/teams/:id/audit", methods: ["GET"], access: "user", kind: "api", query: { actor: ["a"], action: ["team.created"], key: ["x"], ...PAGING } },
  {
    path: "/api/v1/teams/:id/audit/export",
    methods: ["GET"],
    access: "user",
    kind: "api",
    query: { format: ["csv", "jsonl"], from: ["2026-01-01"], to: ["2027-01-01"], actor: ["@"], action: ["team.created"] },
  },
  { path: "/api/v1/invitations/:token/accept", methods: ["POST"], access: "user", kind: "api" },
  { path: "/api/v1/admin/teams", methods: ["GET"], access: "admin", kind: "api" },
  { path: "/api/v1/admin/users", methods: ["GET"], access: "admin", kind: "api", query: { q: ["example", "@"], ...PAGING } },
  { path: "/api/v1/admin/users/:id/role", methods: ["POST"], access: "admin", kind: "api", body: { role: ["USER", "ADMIN"] } },
  { path: "/api/v1/admin/users/:id/sign-out", methods: ["POST"], access: "admin", kind: "api" },
  { path: "/api/v1/admin/keys", methods: ["GET"], access: "admin", kind: "api", query: { ...LIST_QUERY, ownerType: ["user", "team"], team: ["x"], user: ["x"] } },
  {
    path: "/api/v1/admin/blacklist",
    methods: ["POST"],
    access: "admin",
    kind: "api",
    body: { keyId: ["x"], key: ["kw_x"], reason: ["LEAKED", "REVOKED"], note: ["leaked"] },
  },
  {
    path: "/api/v1/admin/audit",
    methods: ["GET"],
    access: "admin",
    kind: "api",
    query: { actor: ["sweep"], action: ["key.issued", "key.revoked"], key: ["x"], ...PAGING },
  },
  {
    path: "/api/v1/admin/audit/export",
    methods: ["GET"],
    access: "admin",
    kind: "api",
    query: { format: ["csv", "jsonl"], from: ["2026-01-01", "2026-11-29T00:00:00Z"], to: ["2027-01-01", "2026-11-30T12:00:00+01:00"], actor: ["sweep", "@"], action: ["key.issued"] },
  },
  { path: "/api/v1/admin/outbox", methods: ["GET"], access: "admin", kind: "api", query: { status: ["SENT", "STORED"], to: ["@"], ...PAGING } },
  { path: "/api/v1/admin/sweeps", methods: ["GET"], access: "admin", kind: "api", query: PAGING },
  {
    path: "/api/v1/admin/usage",
    methods: ["GET"],
    access: "admin",
    kind: "api",
    query: { hours: ["1", "48", "168"], top: ["1", "10", "50"], unusedDays: ["1", "30", "3650"], unusedAfter: ["0.00000000-0000-0000-0000-000000000000"], pageSize: ["1", "20", "100"] },
  },
  // Pages
  { path: "/", methods: ["GET"], access: "public", kind: "page" },
  { path: "/sign-in", methods: ["GET"], access: "public", kind: "page", query: { callbackUrl: ["/keys", "/admin/keys?tab=all"], error: ["x"] } },
  { path: "/sign-up", methods: ["GET"], access: "public", kind: "page", query: { callbackUrl: ["/keys"] } },
  { path: "/report-a-leak", methods: ["GET"], access: "public", kind: "page" },
  { path: "/docs/api", methods: ["GET"], access: "public", kind: "page" },
  { path: "/sign-up/check-email", methods: ["GET"], access: "public", kind: "page", query: { email: ["a@example.test"], callbackUrl: ["/keys"] } },
  { path: "/verify-email", methods: ["GET"], access: "public", kind: "page", query: { token: ["x".repeat(43), "short"] } },
  { path: "/auth/github", methods: ["GET"], access: "public", kind: "page", query: { problem: ["signup-closed", "address-taken", "nope"] } },
  { path: "/keys", methods: ["GET"], access: "user", kind: "page", query: LIST_QUERY },
  { path: "/keys/:id", methods: ["GET"], access: "user", kind: "page", query: { renew: ["1"] } },
  { path: "/notifications", methods: ["GET"], access: "user", kind: "page", query: { unread: ["true"], page: ["1", "2"] } },
  { path: "/settings", methods: ["GET"], access: "user", kind: "page" },
  { path: "/admin", methods: ["GET"], access: "admin", kind: "page" },
  { path: "/admin/keys", methods: ["GET"], access: "admin", kind: "page", query: LIST_QUERY },
  { path: "/admin/audit", methods: ["GET"], access: "admin", kind: "page", query: { actor: ["sweep"], action: ["key.issued"], key: ["x"], ...PAGING } },
  { path: "/admin/outbox", methods: ["GET"], access: "admin", kind: "page", query: { status: ["SENT"], to: ["@"], ...PAGING } },
  { path: "/admin/sweeps", methods: ["GET"], access: "admin", kind: "page", query: PAGING },
  { path: "/admin/usage", methods: ["GET"], access: "admin", kind: "page", query: { hours: ["48", "168"], unusedAfter: ["0.00000000-0000-0000-0000-000000000000"] } },
  { path: "/admin/users", methods: ["GET"], access: "admin", kind: "page", query: { q: ["example"], ...PAGING } },
  { path: "/admin/webhooks", methods: ["GET"], access: "admin", kind: "page" },
  { path: "/admin/teams", methods: ["GET"], access: "admin", kind: "page" },
  { path: "/teams", methods: ["GET"], access: "user", kind: "page" },
  { path: "/teams/:slug", methods: ["GET"], access: "user", kind: "page" },
  { path: "/teams/:slug/audit", methods: ["GET"], access: "user", kind: "page", query: { action: ["team.created"], ...PAGING } },
  { path: "/invitations/:token", methods: ["GET"], access: "public", kind: "page" },
  { path: "/webhooks", methods: ["GET"], access: "user", kind: "page" },
  { path: "/webhooks/:id", methods: ["GET"], access: "user", kind: "page", query: PAGING },
];

/** The route template a file under app/ serves: route groups dropped, [id] → :id, [...x] → *. */
export function templateOf(file: string): string {
  const parts = file
    .replace(/^app\//, "")
    .split("/")
    .slice(0, -1)
    .filter((part) => !/^\(.*\)$/.test(part))
    .map((part) => (part.startsWith("[...") ? "*" : part.startsWith("[") ? `:${part.slice(1, -1)}` : part));
  return `/${parts.join("/")}`;
}

/** A concrete path for a template, with every parameter set to `id`. */
export function fill(template: string, id: string): string {
  return template.replace(/:[a-zA-Z]+/g, id).replace(/\*$/, "session");
}
