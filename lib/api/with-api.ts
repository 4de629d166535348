import "server-only";
import type { NextRequest } from "next/server";
import { z } from "zod";
import type { Actor } from "@/lib/audit/record-audit";
import { getCurrentUser } from "@/lib/auth/current-user";
import { KeywardError, notFound, rateLimited } from "@/lib/errors";
import type { SessionUser } from "@/lib/users/authenticate";
import type { PlainHandler } from "@/lib/http/plain-exchange";
import { readBodyWithin, readJson } from "./read-body";
import { problem, toKeywardError, toResponse } from "./respond";
import { clientIp } from "./client-ip";

type Access = "public" | "user" | "admin";

/**
 * What a route declared to withApi, kept on the handler it returns: the OpenAPI document's test
 * reads it to check the document describes the very schemas the route parses.
 */
export interface ApiContract {
  access: Access;
  body?: z.ZodType;
  query?: z.ZodType;
  params?: z.ZodType;
}

export const API_CONTRACT = Symbol.for("keyward.api-contract");

export function contractOf(handler: unknown): ApiContract | undefined {
  return typeof handler === "function" ? (handler as { [API_CONTRACT]?: ApiContract })[API_CONTRACT] : undefined;
}

interface Options<B extends z.ZodType | undefined, Q extends z.ZodType | undefined> {
  access: Access;
  body?: B;
  query?: Q;
  /** Path parameters (e.g. ZIdParams); one that does not parse names nothing: 404. */
  params?: z.ZodType<Record<string, string>>;
  maxBodyBytes?: number;
  /** Per-client limit, checked before anything else: null to go on, or seconds to wait. */
  rateLimit?: (client: string | null) => number | null;
}

type Parsed<S> = S extends z.ZodType ? z.infer<S> : undefined;

export interface ApiContext<B, Q, U> {
  req: NextRequest;
  params: Record<string, string>;
  body: B;
  query: Q;
  user: U;
  actor: Actor;
}

/**
 * Every /api route goes through here: it declares who may call it and what it accepts, and
 * turns every failure into the one problem+json shape. Routes stay thin: parse, call lib/.
 */
export function withApi<
  A extends Access,
  B extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
>(
  options: Options<B, Q> & { access: A },
  handler: (
    ctx: ApiContext<Parsed<B>, Parsed<Q>, A extends "public" ? SessionUser | null : SessionUser>,
  ) => Promise<Response>,
) {
  const handle = async (req: NextRequest, route: { params: Promise<Record<string, string>> }): Promise<Response> => {
    try {
      const ip = clientIp(req.headers);
      const wait = options.rateLimit?.(ip) ?? null;
      if (wait !== null) throw rateLimited(wait);
      const user = options.access === "public" ? null : await requireUser(options.access);
      const params = await route.params;
      if (options.params && !options.params.safeParse(params).success) throw notFound("No such resource.");
      const ctx = {
        req,
        params,
        body: (options.body ? options.body.parse(await readJson(req, options.maxBodyBytes)) : undefined) as Parsed<B>,
        query: (options.query
          ? options.query.parse(Object.fromEntries(req.nextUrl.searchParams))
          : undefined) as Parsed<Q>,
        user: user as A extends "public" ? SessionUser | null : SessionUser,
        actor: { id: user?.id ?? null, label: user?.email ?? "anonymous", ip },
      };
      return await handler(ctx);
    } catch (error) {
      const failure = toKeywardError(error, `${req.method} ${req.nextUrl.pathname}`);
      // A refused oversized body is left unread on the socket: close the connection, or the
      // client's next request on it (keep-alive) meets the rest of that body and a reset.
      return problem(failure, failure.code === "PAYLOAD_TOO_LARGE" ? { connection: "close" } : undefined);
    }
  };
  const contract: ApiContract = { access: options.access, body: options.body, query: options.query, params: options.params };
  return Object.assign(handle, { [API_CONTRACT]: contract });
}

/**
 * A route whose whole answer is a PlainHandler: one that Keyward's server also answers on its
 * fast path (lib/server/fast-routes.ts), so both ways in run the very same code.
 */
export function plainRoute(contract: ApiContract, handler: PlainHandler) {
  const handle = async (req: NextRequest): Promise<Response> =>
    toResponse(await handler({ ip: clientIp(req.headers), contentType: req.headers.get("content-type"), readBody: (max) => readBodyWithin(req, max) }));
  return Object.assign(handle, { [API_CONTRACT]: contract });
}

async function requireUser(access: Exclude<Access, "public">): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) throw new KeywardError("UNAUTHORIZED", "Sign in to use this endpoint.");
  if (access === "admin" && user.role !== "ADMIN") throw new KeywardError("FORBIDDEN", "Only admins can do this.");
  return user;
}
