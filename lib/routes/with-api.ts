import "server-only";
import type { NextRequest } from "next/server";
import { z } from "zod";
import type { Actor } from "@/lib/audit/record-audit";
import { getCurrentSession } from "@/lib/auth/current-user";
import { env } from "@/lib/env";
import { KeywardError, notFound, rateLimited } from "@/lib/errors";
import { enrolmentDue, enrolPath } from "@/lib/second-factor/policy";
import { isRecent, reauthRequired } from "@/lib/auth/recent-auth";
import type { SessionUser } from "@/lib/users/authenticate";
import type { PlainHandler } from "@/lib/http/plain-exchange";
import { countRateLimited } from "@/lib/metrics/registry";
import { authenticateToken, bearerOf, type CallingToken } from "@/lib/tokens/authenticate-token";
import { readBodyWithin, readJson } from "../api/read-body";
import { problem, toKeywardError, toResponse } from "../api/respond";
import { clientIp } from "../api/client-ip";
import type { ApiScope } from "../api/scopes";
import type { Access, AnyDeclaration, RouteDeclaration, ScopeRule } from "./declaration";

/** The callers withApi itself tells apart; cron and key routes check their credential in the handler or the gate. */
type ApiAccess = Exclude<Access, "verifier" | "github" | "auth">;
type Caller<A> = A extends "user" | "admin" | "token" ? SessionUser : SessionUser | null;

/** How a handler came to be: withApi parses what its declaration names; the others parse for themselves. */
type Wrapper = "withApi" | "plainRoute" | "plain";

const DECLARATION = Symbol.for("keyward.route-declaration");

/** The declaration a route's handler was made from (document.test.ts holds each route to its own). */
export function declarationOf(handler: unknown): { declaration: AnyDeclaration; wrapper: Wrapper } | undefined {
  return typeof handler === "function"
    ? (handler as { [DECLARATION]?: { declaration: AnyDeclaration; wrapper: Wrapper } })[DECLARATION]
    : undefined;
}

const declared = <H extends object>(handler: H, declaration: AnyDeclaration, wrapper: Wrapper) =>
  Object.assign(handler, { [DECLARATION]: { declaration, wrapper } });

type Parsed<S> = S extends z.ZodType ? z.infer<S> : undefined;
type Params<P> = P extends z.ZodType ? z.infer<P> : Record<string, never>;

export interface ApiContext<B, Q, U, P = Record<string, never>> {
  req: NextRequest;
  /** The path parameters, as the declaration's schema parsed them. */
  params: P;
  body: B;
  query: Q;
  user: U;
  actor: Actor;
  /** The API token the request came with (null: a session, or a public route). */
  token: CallingToken | null;
  /** When the session last authenticated (ms); null for tokens, public routes, or unknown. */
  authAt: number | null;
}

/**
 * Every /api route goes through here, with the declaration beside it (declaration.ts): it lets
 * in only whom that declares, parses what it declares (the path parameters too, typed from their
 * schema), and turns every failure into the one problem+json shape. Routes stay thin: call lib/.
 */
export function withApi<
  A extends ApiAccess,
  B extends z.ZodType | undefined,
  Q extends z.ZodType | undefined,
  P extends z.ZodType<Record<string, string>> | undefined,
>(
  options: RouteDeclaration<B, Q, P> & { access: A } & ScopeRule<A>,
  handler: (ctx: ApiContext<Parsed<B>, Parsed<Q>, Caller<A>, Params<P>>) => Promise<Response>,
) {
  const handle = async (req: NextRequest, route: { params: Promise<Record<string, string>> }): Promise<Response> => {
    try {
      const ip = clientIp(req.headers);
      const wait = options.rateLimit?.(ip) ?? null;
      if (wait !== null) {
        countRateLimited("api");
        throw rateLimited(wait);
      }
      const caller = await callerOf(req, options);
      const user = caller?.user ?? null;
      if (user && !options.beforeEnrolment) {
        const required = await enrolmentDue(user);
        if (required) {
          throw new KeywardError(
            "SECOND_FACTOR_REQUIRED",
            "Set up a second factor first: this site requires one for your account (REQUIRE_2FA).",
            undefined,
            {
              extra: { enrolUrl: `${env.APP_URL}${enrolPath(required)}` },
            },
          );
        }
      }
      const raw = await route.params;
      const parsedParams = options.params ? options.params.safeParse(raw) : { success: true as const, data: {} };
      if (!parsedParams.success) throw notFound("No such resource.");
      const ctx = {
        req,
        params: parsedParams.data as Params<P>,
        body: (options.body ? options.body.parse(await readJson(req, options.maxBodyBytes)) : undefined) as Parsed<B>,
        query: (options.query
          ? options.query.parse(Object.fromEntries(req.nextUrl.searchParams))
          : undefined) as Parsed<Q>,
        user: user as Caller<A>,
        actor: {
          id: user?.id ?? null,
          label: caller?.label ?? user?.email ?? "anonymous",
          ip,
          token: caller?.token ? actorToken(caller.token) : null,
        },
        token: caller?.token ?? null,
        authAt: caller?.authAt ?? null,
      };
      if (
        caller &&
        !caller.token &&
        options.recentAuth &&
        (options.recentAuth === true || options.recentAuth.test(ctx.body)) &&
        !isRecent(caller.authAt)
      ) {
        throw reauthRequired();
      }
      return await handler(ctx);
    } catch (error) {
      const failure = toKeywardError(error, `${req.method} ${req.nextUrl.pathname}`);
      // A refused oversized body is left unread on the socket: close the connection, or the
      // client's next request on it (keep-alive) meets the rest of that body and a reset.
      if (failure.code === "PAYLOAD_TOO_LARGE") return problem(failure, { connection: "close" });
      // RFC 6750: a refused bearer token says so, and how.
      if (TOKEN_REFUSALS.has(failure.code) && bearerOf(req.headers.get("authorization"))) {
        return problem(failure, { "www-authenticate": `Bearer realm="keyward", error="invalid_token"` });
      }
      return problem(failure);
    }
  };
  return declared(handle, options, "withApi");
}

/** A handler outside withApi (its own protocol, or no parsing at all), carrying its declaration. */
export function declaredRoute<H extends (...args: never[]) => Response | Promise<Response>>(
  declaration: AnyDeclaration,
  handler: H,
): H {
  return declared(handler, declaration, "plain");
}

/**
 * A route whose whole answer is a PlainHandler: one that Keyward's server also answers on its
 * fast path (lib/process/fast-routes.ts), so both ways in run the very same code.
 */
export function plainRoute(declaration: RouteDeclaration, handler: PlainHandler) {
  const handle = async (req: NextRequest): Promise<Response> =>
    toResponse(
      await handler({
        via: "next",
        ip: clientIp(req.headers),
        contentType: req.headers.get("content-type"),
        authorization: req.headers.get("authorization"),
        readBody: (max) => readBodyWithin(req, max),
      }),
    );
  return declared(handle, declaration, "plainRoute");
}

const TOKEN_REFUSALS = new Set(["UNAUTHORIZED", "EXPIRED", "REVOKED"]);

const actorToken = (token: CallingToken) => ({ id: token.id, name: token.name, owner: token.owner });

interface CallerOf {
  user: SessionUser;
  token: CallingToken | null;
  label: string | null;
  /** Sessions only: when the person last authenticated. */
  authAt: number | null;
}

/**
 * Who calls: an API token (`Authorization: Bearer kwt_…`) when the request carries one, else the
 * session. A token needs the route's scope, and acts only as its holder may now (an admin route
 * refuses the token of someone who is no longer an admin, whatever its scopes).
 */
async function callerOf(
  req: NextRequest,
  options: { access: ApiAccess; scope?: ApiScope | null },
): Promise<CallerOf | null> {
  if (options.access !== "user" && options.access !== "admin" && options.access !== "token") return null;
  const bearer = bearerOf(req.headers.get("authorization"));
  if (!bearer) {
    if (options.access === "token")
      throw new KeywardError("UNAUTHORIZED", "Send the API token as Authorization: Bearer <token>.");
    const session = await requireSession(options.access);
    return { user: session.user, token: null, label: null, authAt: session.authAt };
  }
  const principal = await authenticateToken(bearer);
  if (options.access !== "token") {
    if (!options.scope) throw new KeywardError("FORBIDDEN", "This route needs a signed-in person, not an API token.");
    if (!principal.token.scopes.includes(options.scope)) {
      throw new KeywardError("INSUFFICIENT_SCOPE", `This API token lacks the scope "${options.scope}".`, undefined, {
        extra: { requiredScope: options.scope },
      });
    }
  }
  if (options.access === "admin" && principal.user.role !== "ADMIN")
    throw new KeywardError("FORBIDDEN", "Only admins can do this.");
  return { user: principal.user, token: principal.token, label: principal.label, authAt: null };
}

async function requireSession(access: "user" | "admin"): Promise<{ user: SessionUser; authAt: number | null }> {
  const session = await getCurrentSession();
  if (!session) throw new KeywardError("UNAUTHORIZED", "Sign in to use this endpoint.");
  if (access === "admin" && session.user.role !== "ADMIN")
    throw new KeywardError("FORBIDDEN", "Only admins can do this.");
  return session;
}
