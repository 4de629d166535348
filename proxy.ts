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
import { encodeGatedKey, GATED_KEY_HEADER } from "@/lib/keys/gated-caller";
import { admitKeyCheck } from "@/lib/keys/key-check-limits";
import { presentedKey } from "@/lib/keys/presented-key";
import { verifyKey } from "@/lib/keys/verify-key";
import { findSessionUser } from "@/lib/users/authenticate";

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

/**
 * Whether the request's session is alive: its user exists and its version is current (sign-out
 * and password or role changes end sessions everywhere). A database that is down answers 503
 * here, with a page that says so, instead of a 500 from the page that would have needed it.
 */
async function sessionState(req: NextRequest): Promise<SessionState | Response> {
  const session = await auth();
  if (!session?.user?.id) return "none";
  try {
    return (await findSessionUser(session.user.id, session.sessionVersion)) ? "valid" : "ended";
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error;
    console.error(`[keyward] ${req.nextUrl.pathname}: database unavailable`);
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

/** Pages render with a per-request nonce: Next puts it on its scripts, and nothing else runs. */
function withContentSecurityPolicy(req: NextRequest): Response {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const csp = contentSecurityPolicy({
    nonce,
    dev: process.env.NODE_ENV === "development",
    https: env.APP_URL.startsWith("https:"),
    formActions: githubEnabled ? [githubUrls().web] : [],
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
  const state = await sessionState(req);
  if (state instanceof Response) return state;
  return requireSession(req, state) ?? withContentSecurityPolicy(req);
}

// The gated API and every page; not the other API routes (they check their own callers, and the
// verify route must not pay for the proxy) nor static files. Protected routes are only reachable
// through the gate, which overwrites the trusted header, so a client cannot smuggle its own copy in.
export const config = {
  matcher: ["/api/v1/protected/:path*", "/((?!api/|_next/static|_next/image|favicon.ico).*)"],
};
