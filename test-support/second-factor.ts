// Second-factor helpers for integration tests: a confirmed TOTP factor (and recovery codes)
// written as the app writes them, sealed with the shared servers' AUTH_SECRET; sign-in through
// next-auth's credentials endpoint with the `otp` field; and a session cookie whose last
// authentication is made older, to reach sudo mode without waiting ten minutes.
import { randomBytes } from "node:crypto";
import { decode, encode } from "next-auth/jwt";
import { hashRecoveryCode, newRecoveryCodes } from "@/lib/second-factor/recovery-codes";
import { seal } from "@/lib/second-factor/sealed";
import { currentCode, newTotpSecret } from "@/lib/second-factor/totp";
import type { PrismaClient } from "@/lib/db/generated/client";

export { currentCode };

/** A confirmed factor with a known secret and 10 recovery codes (AUTH_SECRET: the app's). */
export async function seedTotp(db: PrismaClient, userId: string) {
  const secret = newTotpSecret();
  const recoveryCodes = newRecoveryCodes();
  await db.totpFactor.create({ data: { userId, secretSealed: seal(secret, userId), confirmedAt: new Date() } });
  await db.recoveryCode.createMany({
    data: recoveryCodes.map((code) => ({ userId, codeHash: hashRecoveryCode(code) })),
  });
  return { secret, recoveryCodes };
}

/** The code of the step after now: accepted (one step of drift) once the current one was used. */
export const nextCode = (secret: string) => currentCode(secret, Date.now() + 30_000);

/** A client of its own behind the locked-down server's trusted proxy (its throttle counts apart). */
export const freshClient = () => `2001:db8:${randomBytes(2).toString("hex")}:${randomBytes(2).toString("hex")}::1`;

export interface SignInAttempt {
  /** The session cookie (and the CSRF one), when a session was made. */
  cookie: string | null;
  location: string | null;
}

/** next-auth's credentials endpoint, as the sign-in form posts it (with `otp` on its second step). */
export async function signInWith(
  baseUrl: string,
  fields: { email: string; password: string; otp?: string; passkey?: string },
  headers: Record<string, string> = {},
): Promise<SignInAttempt> {
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`, { headers });
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const csrfCookie = cookiesOf(csrf);
  const response = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { ...headers, "content-type": "application/x-www-form-urlencoded", cookie: csrfCookie },
    body: new URLSearchParams({ csrfToken, ...fields, callbackUrl: `${baseUrl}/keys` }),
  });
  const cookie = [csrfCookie, cookiesOf(response)].filter(Boolean).join("; ");
  return { cookie: /session-token=/.test(cookie) ? cookie : null, location: response.headers.get("location") };
}

export function cookiesOf(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

const SESSION_COOKIE = "authjs.session-token";

/** The same session, its last authentication `minutes` earlier (signed with `secret`, as the server does). */
export async function agedCookie(cookie: string, minutes: number, secret = process.env.AUTH_SECRET!): Promise<string> {
  const pairs = cookie
    .split("; ")
    .map((pair) => [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)] as const);
  const out: string[] = [];
  for (const [name, value] of pairs) {
    if (name !== SESSION_COOKIE) {
      out.push(`${name}=${value}`);
      continue;
    }
    const token = await decode({ token: value, secret, salt: SESSION_COOKIE });
    if (!token) throw new Error("the session cookie does not decode with this AUTH_SECRET");
    const aged = await encode({
      token: { ...token, authAt: Number(token.authAt) - minutes * 60_000 },
      secret,
      salt: SESSION_COOKIE,
    });
    out.push(`${name}=${aged}`);
  }
  return out.join("; ");
}

/** A cookie jar for one browser: requests carry it, and answers that set cookies update it. */
export class Jar {
  constructor(public cookie: string) {}

  async request(
    baseUrl: string,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      redirect: "manual",
      headers: {
        cookie: this.cookie,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const set = cookiesOf(response);
    if (set) {
      const jar = new Map(
        this.cookie.split("; ").map((p) => [p.slice(0, p.indexOf("=")), p.slice(p.indexOf("=") + 1)]),
      );
      for (const pair of set.split("; ")) jar.set(pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1));
      this.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
    }
    return response;
  }
}
