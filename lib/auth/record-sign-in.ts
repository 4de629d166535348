import "server-only";
import { cookies, headers } from "next/headers";
import { clientIp } from "@/lib/api/client-ip";
import { env } from "@/lib/env";
import { DEVICE_COOKIE, DEVICE_COOKIE_MAX_AGE_S, startSession } from "@/lib/sessions/start-session";
import type { AuthenticatedUser } from "@/lib/users/authenticate";

/**
 * Every sign-in, whatever its method, ends here (auth's jwt callback): a session row for this
 * browser, whose id the session's JWT carries (sid), and the browser's device cookie.
 */
export async function recordSignIn(user: AuthenticatedUser, method: string): Promise<string> {
  const [jar, requestHeaders] = await Promise.all([cookies(), headers()]);
  const { sessionId, deviceToken } = await startSession({
    userId: user.id,
    email: user.email,
    name: user.name,
    emailVerified: user.emailVerified,
    sessionVersion: user.sessionVersion,
    method,
    userAgent: requestHeaders.get("user-agent"),
    ip: clientIp(requestHeaders),
    deviceToken: jar.get(DEVICE_COOKIE)?.value,
  });
  jar.set(DEVICE_COOKIE, deviceToken, {
    httpOnly: true,
    sameSite: "lax",
    secure: env.APP_URL.startsWith("https:"),
    path: "/",
    maxAge: DEVICE_COOKIE_MAX_AGE_S,
  });
  return sessionId;
}
