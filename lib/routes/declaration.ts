// What one HTTP route declares about itself, once, in its own folder (app/api/…/declaration.ts,
// beside route.ts): who may call it, what it parses, how the OpenAPI document describes it, and
// the plausible values the fuzz and matrix tests send it. The handler (withApi), the document
// (lib/openapi/document.ts) and those tests all read this one object.
import type { z } from "zod";
import type { ApiScope } from "../api/scopes";

/**
 * Who may call a route.
 * public: anyone. user: a signed-in person, or an API token with the route's scope. admin: the
 * same, for site admins only. token: an API token acting on itself (any scope), never a session.
 * verifier: anyone, or an API token with the route's scope (VERIFY_AUTH decides whether one is
 * required). cron: the CRON_SECRET bearer. key: an API key, checked by the gate (proxy.ts).
 * github: GitHub's signature over the body. auth: next-auth's own endpoints (not Keyward's API).
 */
export type Access = "public" | "user" | "admin" | "token" | "verifier" | "cron" | "key" | "github" | "auth";

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface ResponseSpec {
  description: string;
  /** JSON unless `content` names other media types. */
  schema?: z.ZodType;
  content?: Record<string, { schema: z.ZodType; description?: string }>;
}

type Parsed<S> = S extends z.ZodType ? z.infer<S> : undefined;

/** Plausible values for the tests to send, each field with a few (the fuzz mixes them with hostile ones). */
export interface Examples<B = unknown, Q = unknown> {
  body?: Fields<B, unknown[]>;
  query?: Fields<Q, string[]>;
}
/** A schema's fields (an array's: its items'), so an example names none the route does not take. */
type Fields<S, V> = [S] extends [z.ZodType] ? { [K in keyof Item<z.input<S>> & string]?: V } : Record<string, V>;
type Item<T> = T extends readonly (infer E)[] ? E : T;

export interface RouteDeclaration<
  B extends z.ZodType | undefined = z.ZodType | undefined,
  Q extends z.ZodType | undefined = z.ZodType | undefined,
  P extends z.ZodType<Record<string, string>> | undefined = z.ZodType<Record<string, string>> | undefined,
> {
  access: Access;
  /**
   * What an API token needs to call this route (user, admin and verifier routes): a scope, or
   * null for a route that wants a person at the keyboard (password, account deletion, GitHub
   * connection).
   */
  scope?: ApiScope | null;
  body?: B;
  query?: Q;
  /** Path parameters (e.g. ZIdParams); one that does not parse names nothing: 404. */
  params?: P;
  /** The route parses the body itself (a signature over the raw bytes comes first). */
  bodyParsedByHandler?: true;
  maxBodyBytes?: number;
  /** Per-client limit, checked before anything else: null to go on, or seconds to wait. */
  rateLimit?: (client: string | null) => number | null;
  /**
   * Sudo mode (lib/auth/recent-auth.ts): a session whose last authentication is older than 10
   * minutes is refused (403 REAUTH_REQUIRED) until it re-authenticates. true, or for routes where
   * only some requests are dangerous, a predicate on the parsed body and the words that say when
   * ("when `key` is sent"). API tokens are exempt.
   */
  recentAuth?: true | { when: string; test(body: Parsed<B>): boolean };
  /**
   * The route answers an account that REQUIRE_2FA sends to enrol a second factor first (the
   * enrolment routes themselves); every other route refuses it (403 SECOND_FACTOR_REQUIRED).
   */
  beforeEnrolment?: true;
  /** The OpenAPI operation: its id, what it does, and the answers it gives. */
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  responses: Record<number, ResponseSpec>;
  /** Refusals beyond the ones access, params, query and body imply. */
  errors?: number[];
  examples?: Examples<B, Q>;
}

/** next-auth's endpoints: its protocol, not Keyward's API, so the document leaves them out. */
export interface UndocumentedDeclaration {
  access: "auth";
  undocumented: string;
  examples?: Examples;
}

export type AnyDeclaration = RouteDeclaration | UndocumentedDeclaration;

/** Routes that act for a person must say what a token needs to call them. */
export type ScopeRule<A extends Access> = A extends "user" | "admin" | "verifier"
  ? { scope: ApiScope | null }
  : { scope?: undefined };

/** One route's declaration, its schemas' types kept for the handler that uses it. */
export function declareRoute<
  A extends Access,
  B extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  P extends z.ZodType<Record<string, string>> | undefined = undefined,
>(
  declaration: RouteDeclaration<B, Q, P> & { access: A } & ScopeRule<A>,
): RouteDeclaration<B, Q, P> & { access: A } & ScopeRule<A> {
  return declaration;
}

/** One route and method, as the registry of declarations (app/api/declarations.ts) lists it. */
export interface DeclaredRoute {
  /** As the app/ tree serves it, with `:name` parameters, or a trailing `*`. */
  path: string;
  method: Method;
  declaration: AnyDeclaration;
}

export const isDocumented = (route: DeclaredRoute): route is DeclaredRoute & { declaration: RouteDeclaration } =>
  route.declaration.access !== "auth";

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
