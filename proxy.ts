// The request gate (Next 16's name for middleware.ts; it runs on the Node.js runtime).
// Built from small helpers that each return a response, or null to let the request through.
import { NextResponse, type NextRequest } from "next/server";
import { clientIp } from "@/lib/api/client-ip";
import { problem, toKeywardError } from "@/lib/api/respond";
import { auth } from "@/lib/auth";
import { githubEnabled, githubUrls } from "@/lib/auth/github";
import { isDatabaseUnavailable } from "@/lib/db/errors";
import { env } from "@/lib/env";
import { KeywardError, rateLimited } from "@/lib/errors";
import { contentSecurityPolicy } from "@/lib/http/security-headers";
import { unavailablePage } from "@/lib/http/unavailable-page";
import { encodeGatedKey, GATED_KEY_HEADER } from "@/lib/keys/check/gated-caller";
import { admitKeyCheck } from "@/lib/keys/check/key-check-limits";
import { presentedKey } from "@/lib/keys/presented-key";
import { verifyKey } from "@/lib/keys/check/verify-key";
import { enrolmentDue, enrolPath } from "@/lib/second-factor/policy";
import { oidcIssuerOrigin } from "@/lib/sso/oidc-config";
import { findSessionUser, type SessionUser } from "@/lib/users/authenticate";
import { log } from "@/lib/log/logger";

const PROTECTED_API = "/api/v1/protected/";
const PORTAL_PAGES = ["/keys", "/webhooks", "/teams", "/admin", "/notifications", "/settings"];
const MAX_CALLBACK_LENGTH = 2000;

/**
 * The original design's ApiKeyMiddleware: 401 without a key, 403 with a bad one, else pass. The
 * same per-client budget as the verify route, or it would answer bad keys forever.
 */
async function gateProtectedApi(req: NextRequest): Promise<Response | null> {
  if (!req.nextUrl.pathname.startsWith(PROTECTED_API)) return null;
  const ip = clientIp(req.headers);
  const wait = admitKeyCheck(ip);
  if (wait !== null) return problem(rateLimited(wait));
  const key = presentedKey(req.headers);
  if (!key) {
    return problem(new KeywardError("UNAUTHORIZED", "Send an API key: Authorization: Bearer <key> or X-API-Key."), {
      "www-authenticate": 'Bearer realm="keyward", charset="UTF-8"',
    });
  }
  let result;
  try {
    result = await verifyKey(key, { callerIp: ip, clientIp: ip, gate: true });
  } catch (error) {
    return problem(toKeywardError(error, `gate ${req.nextUrl.pathname}`));
  }
  if (result.code === "RATE_LIMITED") {
    // The key is good but used up for now: 429, and when to come back.
    return Response.json(result, {
      status: 429,
      headers: { "cache-control": "no-store", "retry-after": String(result.retryAfterSeconds) },
    });
  }
  if (!result.valid) {
    // Same body as the verify route, so clients handle one shape (code, renewUrl, …).
    return Response.json(result, {
      status: 403,
      headers: { "cache-control": "no-store", "www-authenticate": `Bearer realm="keyward", error="invalid_token"` },
    });
  }
  const headers = new Headers(req.headers);
  headers.set(GATED_KEY_HEADER, encodeGatedKey(result)); // overwrites any client-sent copy
  return NextResponse.next({ request: { headers } });
}

type SessionState = "none" | "valid" | "ended";
/** The page where an account that must have a second factor sets one up: the one page it may see. */
const ENROL_PAGE = "/settings/security";

/**
 * Whether the request's session is alive: its user exists, its version is current (sign-out
 * and password or role changes end sessions everywhere) and its row has not been ended. A database that is down answers 503
 * here, with a page that says so, instead of a 500 from the page that would have needed it.
 */
async function sessionState(req: NextRequest): Promise<{ state: SessionState; user: SessionUser | null } | Response> {
  const session = await auth();
  if (!session?.user?.id) return { state: "none", user: null };
  try {
    const user = await findSessionUser(session.user.id, session.sessionVersion, {
      sessionId: session.sessionId,
      ip: clientIp(req.headers),
    });
    return { state: user ? "valid" : "ended", user };
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error;
    log.error({ path: req.nextUrl.pathname }, "database unavailable");
    const retry = `${req.nextUrl.pathname}${req.nextUrl.search}`;
    return new Response(unavailablePage(retry.length <= MAX_CALLBACK_LENGTH ? retry : req.nextUrl.pathname), {
      status: 503,
      headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "retry-after": "10" },
    });
  }
}

/** Portal pages need a live session; everyone else goes to sign-in and comes back after. */
function requireSession(req: NextRequest, state: SessionState): Response | null {
  const path = req.nextUrl.pathname;
  if (!PORTAL_PAGES.some((p) => path === p || path.startsWith(`${p}/`)) || state === "valid") return null;
  const signIn = new URL("/sign-in", env.APP_URL);
  const back = `${path}${req.nextUrl.search}`;
  // The way back rides in the Location header: an absurdly long one is dropped, not echoed.
  if (back.length <= MAX_CALLBACK_LENGTH) signIn.searchParams.set("callbackUrl", back);
  return NextResponse.redirect(signIn);
}

/**
 * REQUIRE_2FA: an account that must have a second factor and has none sees one portal page, the
 * one where it sets one up (the API refuses it the same way: lib/routes/with-api.ts).
 */
async function requireSecondFactor(req: NextRequest, user: SessionUser | null): Promise<Response | null> {
  const path = req.nextUrl.pathname;
  if (!user || path === ENROL_PAGE || !PORTAL_PAGES.some((p) => path === p || path.startsWith(`${p}/`))) return null;
  let required;
  try {
    required = await enrolmentDue(user);
  } catch (error) {
    if (isDatabaseUnavailable(error)) return null; // the page answers 503 itself
    throw error;
  }
  return required ? NextResponse.redirect(new URL(enrolPath(required), env.APP_URL)) : null;
}

/** Pages render with a per-request nonce: Next puts it on its scripts, and nothing else runs. */
function withContentSecurityPolicy(req: NextRequest): Response {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const csp = contentSecurityPolicy({
    nonce,
    dev: process.env.NODE_ENV === "development",
    https: env.APP_URL.startsWith("https:"),
    // "Continue with …" posts to next-auth, which redirects to the provider: form-action covers it.
    formActions: [...(githubEnabled ? [githubUrls().web] : []), ...(oidcIssuerOrigin() ? [oidcIssuerOrigin()!] : [])],
  });
  const headers = new Headers(req.headers);
  headers.set("x-nonce", nonce);
  headers.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", csp);
  return response;
}

export async function proxy(req: NextRequest): Promise<Response> {
  const gated = await gateProtectedApi(req);
  if (gated) return gated;
  const session = await sessionState(req);
  if (session instanceof Response) return session;
  return (
    requireSession(req, session.state) ??
    (await requireSecondFactor(req, session.user)) ??
    withContentSecurityPolicy(req)
  );
}

// The gated API and every page; not the other API routes (they check their own callers, and the
// verify route must not pay for the proxy) nor static files. Protected routes are only reachable
// through the gate, which overwrites the trusted header, so a client cannot smuggle its own copy in.
export const config = {
  matcher: ["/api/v1/protected/:path*", "/((?!api/|_next/static|_next/image|favicon.ico|icon.svg).*)"],
};
