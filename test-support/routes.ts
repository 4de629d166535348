// Every route and page Keyward serves, with who may call it and what it takes. The fuzz test and
// the authorization matrix walk this list. API routes come from their own declarations (each
// route's declaration.ts, listed in app/api/declarations.ts); pages, which have none, are listed
// here. A unit test (routes.test.ts) fails when a route or page exists under app/ without an entry.
import { DECLARED_ROUTES } from "@/app/api/declarations";
import { LIST_QUERY, PAGING } from "@/app/api/examples";
import type { Access, Method } from "@/lib/routes/declaration";

export type { Access, Method };

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

const METHOD_ORDER: Method[] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/** The API routes, one per path: its methods, and the plausible values its declarations give. */
function apiRoutes(): RouteSpec[] {
  const byPath = new Map<string, RouteSpec>();
  for (const { path, method, declaration } of DECLARED_ROUTES) {
    const spec = byPath.get(path) ?? { path, methods: [], access: declaration.access, kind: "api" as const };
    byPath.set(path, spec);
    spec.methods.push(method);
    spec.methods.sort((a, b) => METHOD_ORDER.indexOf(a) - METHOD_ORDER.indexOf(b));
    // One access per path: the methods of a route differ in scope, never in who may call them.
    if (spec.access !== declaration.access) throw new Error(`${path}: its methods declare different access`);
    const { body, query } = declaration.examples ?? {};
    if (body) spec.body = { ...spec.body, ...body };
    if (query) spec.query = { ...spec.query, ...query };
  }
  return [...byPath.values()];
}

/** Pages: no declaration of their own, so they are described here. */
const PAGES: Omit<RouteSpec, "kind">[] = [
  { path: "/", methods: ["GET"], access: "public" },
  {
    path: "/sign-in",
    methods: ["GET"],
    access: "public",
    query: { callbackUrl: ["/keys", "/admin/keys?tab=all"], error: ["x"], reset: ["1"] },
  },
  { path: "/sign-up", methods: ["GET"], access: "public", query: { callbackUrl: ["/keys"] } },
  { path: "/report-a-leak", methods: ["GET"], access: "public" },
  { path: "/docs/api", methods: ["GET"], access: "public" },
  {
    path: "/sign-up/check-email",
    methods: ["GET"],
    access: "public",
    query: { email: ["a@example.test"], callbackUrl: ["/keys"] },
  },
  {
    path: "/verify-email",
    methods: ["GET"],
    access: "public",
    query: { token: ["x".repeat(43), "short"] },
  },
  { path: "/forgot-password", methods: ["GET"], access: "public", query: { email: ["a@example.test"] } },
  {
    path: "/reset-password",
    methods: ["GET"],
    access: "public",
    query: { token: ["x".repeat(43), "short"] },
  },
  {
    path: "/auth/github",
    methods: ["GET"],
    access: "public",
    query: { problem: ["signup-closed", "address-taken", "nope"] },
  },
  {
    path: "/auth/oidc",
    methods: ["GET"],
    access: "public",
    query: { problem: ["domain-not-allowed", "unverified-identity", "nope"] },
  },
  { path: "/keys", methods: ["GET"], access: "user", query: LIST_QUERY },
  { path: "/keys/:id", methods: ["GET"], access: "user", query: { renew: ["1"] } },
  {
    path: "/notifications",
    methods: ["GET"],
    access: "user",
    query: { unread: ["true"], page: ["1", "2"] },
  },
  { path: "/settings", methods: ["GET"], access: "user" },
  { path: "/settings/tokens", methods: ["GET"], access: "user" },
  {
    path: "/settings/security",
    methods: ["GET"],
    access: "user",
    query: { required: ["admins", "everyone", "x"] },
  },
  { path: "/settings/sessions", methods: ["GET"], access: "user" },
  { path: "/teams/:slug/tokens", methods: ["GET"], access: "user" },
  { path: "/admin", methods: ["GET"], access: "admin" },
  { path: "/admin/keys", methods: ["GET"], access: "admin", query: LIST_QUERY },
  {
    path: "/admin/audit",
    methods: ["GET"],
    access: "admin",
    query: { actor: ["sweep"], action: ["key.issued"], key: ["x"], ...PAGING },
  },
  {
    path: "/admin/outbox",
    methods: ["GET"],
    access: "admin",
    query: { status: ["SENT"], to: ["@"], ...PAGING },
  },
  { path: "/admin/sweeps", methods: ["GET"], access: "admin", query: PAGING },
  {
    path: "/admin/usage",
    methods: ["GET"],
    access: "admin",
    query: { hours: ["48", "168"], unusedAfter: ["0.00000000-0000-0000-0000-000000000000"] },
  },
  { path: "/admin/users", methods: ["GET"], access: "admin", query: { q: ["example"], ...PAGING } },
  { path: "/admin/users/:id/sessions", methods: ["GET"], access: "admin" },
  { path: "/admin/webhooks", methods: ["GET"], access: "admin" },
  { path: "/admin/teams", methods: ["GET"], access: "admin" },
  { path: "/teams", methods: ["GET"], access: "user" },
  { path: "/teams/:slug", methods: ["GET"], access: "user" },
  {
    path: "/teams/:slug/audit",
    methods: ["GET"],
    access: "user",
    query: { action: ["team.created"], ...PAGING },
  },
  { path: "/invitations/:token", methods: ["GET"], access: "public" },
  { path: "/webhooks", methods: ["GET"], access: "user" },
  { path: "/webhooks/:id", methods: ["GET"], access: "user", query: PAGING },
];

export const ROUTES: RouteSpec[] = [...apiRoutes(), ...PAGES.map((page) => ({ ...page, kind: "page" as const }))];

export { templateOf } from "@/lib/routes/declaration";

/** A concrete path for a template, with every parameter set to `id`. */
export function fill(template: string, id: string): string {
  return template.replace(/:[a-zA-Z]+/g, id).replace(/\*$/, "session");
}
