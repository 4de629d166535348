// The request gate (Next 16's name for middleware.ts; it runs on the Node.js runtime).
// Built from small helpers that each return a response, or null to let the request through.
import { NextResponse, type NextRequest } from "next/server";
import { auth } from "@/lib/auth";
import { clientIp } from "@/lib/api/client-ip";
import { problem, toKeywardError } from "@/lib/api/respond";
import { KeywardError, rateLimited } from "@/lib/errors";
import { admitKeyCheck } from "@/lib/keys/key-check-limits";
import { encodeGatedKey, GATED_KEY_HEADER } from "@/lib/keys/gated-caller";
import { presentedKey } from "@/lib/keys/presented-key";
import { verifyKey } from "@/lib/keys/verify-key";

const PROTECTED_API = "/api/v1/protected/";
const PORTAL_PAGES = ["/keys", "/admin", "/notifications", "/settings"];
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
    result = await verifyKey(key, undefined, { ip });
  } catch (error) {
    return problem(toKeywardError(error, `gate ${req.nextUrl.pathname}`));
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

/** Portal pages need a session; signed-out visitors go to sign-in and come back after. */
async function requireSession(req: NextRequest): Promise<Response | null> {
  const path = req.nextUrl.pathname;
  if (!PORTAL_PAGES.some((p) => path === p || path.startsWith(`${p}/`))) return null;
  const session = await auth();
  if (session?.user?.id) return null;
  const signIn = new URL("/sign-in", req.nextUrl);
  const back = `${path}${req.nextUrl.search}`;
  // The way back rides in the Location header: an absurdly long one is dropped, not echoed.
  if (back.length <= MAX_CALLBACK_LENGTH) signIn.searchParams.set("callbackUrl", back);
  return NextResponse.redirect(signIn);
}

export async function proxy(req: NextRequest): Promise<Response> {
  return (
    (await gateProtectedApi(req)) ??
    (await requireSession(req)) ??
    NextResponse.next()
  );
}

// Only the gated API and the portal pages: the verify route and static files never pay for the
// proxy. Protected routes are only reachable through the gate, which overwrites the trusted
// header, so a client cannot smuggle its own copy in.
export const config = {
  matcher: [
    "/api/v1/protected/:path*",
    "/keys",
    "/keys/:path*",
    "/admin",
    "/admin/:path*",
    "/notifications",
    "/settings",
  ],
};
