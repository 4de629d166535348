// next-auth v5: email + password (Credentials) and, when configured, GitHub and an OpenID Connect
// provider (single sign-on). JWT sessions carry the user id, role, the session version they were
// issued under and their session row's id (sid, lib/sessions); every request re-reads the user and
// the row (lib/auth/current-user.ts), so a session ends as soon as its version is out of date or
// its row has been ended.
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import { cookies, headers } from "next/headers";
import { z } from "zod";
import { clientIp } from "@/lib/api/client-ip";
import { zText } from "@/lib/api/text";
import { env } from "@/lib/env";
import { prisma } from "@/lib/db/client";
import { checkProof } from "@/lib/second-factor/proof";
import { oidcEnabled, oidcName } from "@/lib/sso/oidc-config";
import { findAuthenticatedUser, type AuthenticatedUser } from "@/lib/users/authenticate";
import { endAllSessions } from "@/lib/users/sessions";
import { isExternalProvider, linkedUserId, OIDC } from "@/lib/users/external-accounts";
import { safeCallbackUrl } from "./callback-url";
import { completeHeldSignIn } from "./complete-held-sign-in";
import { decideExternalSignIn } from "./external-sign-in";
import { HELD_SIGN_IN_COOKIE, readHeldSignIn } from "./held-sign-in";
import { githubEnabled, githubUrls } from "./github";
import { signInWithPassword, type PasswordSignIn } from "./password-sign-in";
import { passkeyProvider } from "@/lib/passkeys/passkey-provider";
import { recordSignIn } from "./record-sign-in";
import { log } from "@/lib/log/logger";

declare module "next-auth" {
  interface Session {
    user: { id: string; email: string; name?: string | null; role: "USER" | "ADMIN" };
    sessionVersion: number;
    /** The session's row (lib/sessions); absent in sessions issued before rows existed. */
    sessionId?: string;
    /** When this session's person last proved who they are (ms; 0: unknown): sudo mode. */
    authAt: number;
  }
  interface User {
    role?: "USER" | "ADMIN";
    sessionVersion?: number;
  }
}

declare module "@auth/core/jwt" {
  interface JWT {
    role?: "USER" | "ADMIN";
    /** The user's session version when this session was issued. */
    sv?: number;
    /** The session row's id (lib/sessions). */
    sid?: string;
    /** When the person last authenticated: signing in, or re-authenticating (/api/v1/me/reauth). */
    authAt?: number;
  }
}

/** A refused sign-in whose reason the form may show: the code travels back to it. */
class ThrottledSignIn extends CredentialsSignin {
  constructor(until: Date) {
    super();
    this.code = `throttled:${until.toISOString()}`;
  }
}
class BusySignIn extends CredentialsSignin {
  code = "busy";
}
/** The held GitHub or OIDC sign-in is gone (five minutes passed, or another browser): start over. */
class HeldSignInLapsed extends CredentialsSignin {
  code = "held-lapsed";
}
/**
 * The password was right; the form asks for the second factor next (or it was wrong). The code
 * names the account's kinds of factor after the reason (`otp-required:totp+passkey`), so the form
 * offers what the account has; only someone who knows the password learns them.
 */
class SecondFactorSignIn extends CredentialsSignin {
  constructor(reason: "otp-required" | "otp-wrong", factors: readonly string[]) {
    super();
    this.code = `${reason}:${factors.join("+")}`;
  }
}

// `otp`: the second factor (a TOTP or recovery code), sent with the password again. `proof`: a
// server-made proof of it (lib/second-factor/proof.ts), for the password route's own re-sign-in.
const ZCredentials = z.object({
  email: zText().max(254),
  password: zText().max(200),
  otp: zText().max(64).optional(),
  // A passkey's assertion (startAuthentication()'s JSON) as the second factor.
  passkey: zText().max(16_000).optional(),
  proof: zText().max(300).optional(),
});

// The second step of a GitHub or OIDC sign-in held for the account's second factor: the
// provider's name (`held`) and the factor; the held sign-in itself is this browser's cookie.
const ZHeldCredentials = z.object({
  held: zText().max(20),
  otp: zText().max(64).optional(),
  passkey: zText().max(16_000).optional(),
});

/** A JSON field of the form; what is not JSON proves nothing (null never verifies). */
function parsedJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

async function withPassword(raw: unknown, request: Request): Promise<PasswordSignIn> {
  const parsed = ZCredentials.safeParse(raw);
  if (!parsed.success) throw new CredentialsSignin();
  const { email, password, otp, passkey, proof } = parsed.data;
  return signInWithPassword(email, password, clientIp(request.headers), {
    otp: otp || undefined,
    passkey: passkey ? parsedJson(passkey) : undefined,
    proof,
  });
}

async function completeHeld(raw: unknown, request: Request): Promise<PasswordSignIn> {
  const parsed = ZHeldCredentials.safeParse(raw);
  if (!parsed.success) throw new CredentialsSignin();
  const { held: provider, otp, passkey } = parsed.data;
  const jar = await cookies();
  const held = readHeldSignIn(jar.get(HELD_SIGN_IN_COOKIE)?.value, provider);
  if (!held) throw new HeldSignInLapsed();
  const outcome = await completeHeldSignIn(held, clientIp(request.headers), {
    otp: otp || undefined,
    passkey: passkey ? parsedJson(passkey) : undefined,
  });
  if (outcome.ok) jar.delete(HELD_SIGN_IN_COOKIE);
  return outcome;
}

/**
 * Where GitHub and the OpenID provider send the browser back: under APP_URL, exactly as registered
 * there. Left to itself next-auth builds it from the request's URL, which Next rewrites (127.0.0.1
 * becomes localhost), and GitHub refuses a redirect_uri whose host or port differs.
 */
const CALLBACK_BASE = `${env.APP_URL}/api/auth`;

const config: NextAuthConfig = {
  secret: process.env.AUTH_SECRET,
  // Links next-auth builds (OAuth callbacks) use APP_URL, never a Host header a client wrote;
  // AUTH_URL is set from APP_URL by npm start and the test runner.
  trustHost: true,
  session: { strategy: "jwt", maxAge: 7 * 24 * 3600 },
  pages: { signIn: "/sign-in", error: "/sign-in" },
  providers: [
    Credentials({
      credentials: { email: { label: "Email" }, password: { label: "Password", type: "password" } },
      async authorize(raw, request) {
        const outcome = await (raw && "held" in raw ? completeHeld(raw, request) : withPassword(raw, request));
        if (outcome.ok) return outcome.user;
        if (outcome.reason === "throttled") throw new ThrottledSignIn(outcome.until);
        if (outcome.reason === "busy") throw new BusySignIn();
        if (outcome.reason === "otp-required" || outcome.reason === "otp-wrong")
          throw new SecondFactorSignIn(outcome.reason, outcome.factors);
        throw new CredentialsSignin();
      },
    }),
    passkeyProvider,
    ...(githubEnabled
      ? [
          GitHub({
            ...(process.env.AUTH_GITHUB_ENTERPRISE_URL ? { enterprise: { baseUrl: githubUrls().web } } : {}),
            // The verified addresses come from /user/emails, which needs this scope.
            authorization: { params: { scope: "read:user user:email" } },
            redirectProxyUrl: CALLBACK_BASE,
          }),
        ]
      : []),
    ...(oidcEnabled
      ? [
          {
            id: OIDC,
            name: oidcName(),
            type: "oidc" as const,
            issuer: env.OIDC_ISSUER,
            clientId: env.OIDC_CLIENT_ID,
            clientSecret: env.OIDC_CLIENT_SECRET,
            authorization: { params: { scope: env.OIDC_SCOPES } },
            checks: ["pkce", "state", "nonce"] as ("pkce" | "state" | "nonce")[],
            // Also ask userinfo: many providers put the address or the groups only there.
            idToken: false,
            redirectProxyUrl: CALLBACK_BASE,
          },
        ]
      : []),
  ],
  callbacks: {
    async signIn({ account, profile }) {
      if (!account || !isExternalProvider(account.provider)) return true;
      return decideExternalSignIn(account.provider, account, profile);
    },
    async jwt({ token, user, account, trigger, session }) {
      // Re-authentication (lib/auth/recent-auth.ts) moves authAt, with a proof only the
      // server can make: a browser's own session update cannot.
      if (trigger === "update") {
        const at = checkProof("reauth", (session as { reauth?: unknown } | undefined)?.reauth, token.sub);
        return at === null ? token : { ...token, authAt: at };
      }
      // Only at sign-in are user or account set; later calls keep the token as it is.
      let signedIn: AuthenticatedUser | null = null;
      if (account && isExternalProvider(account.provider)) {
        // signIn() above has just linked or found the account for this identity.
        const userId = await linkedUserId(account.provider, account.providerAccountId);
        signedIn = userId ? await findAuthenticatedUser(userId) : null;
        if (!signedIn) return null;
      } else if (user?.id) {
        // Re-read: the role and session version as they are now (a group may just have changed them).
        signedIn = await findAuthenticatedUser(user.id);
        if (!signedIn) return null;
      }
      if (!signedIn) return token;
      const sid = await recordSignIn(signedIn, account?.provider ?? "credentials");
      return {
        ...token,
        sub: signedIn.id,
        email: signedIn.email,
        name: signedIn.name,
        role: signedIn.role,
        sv: signedIn.sessionVersion,
        sid,
        authAt: Date.now(),
      };
    },
    session({ session, token }) {
      session.user.id = token.sub ?? "";
      session.user.role = token.role === "ADMIN" ? "ADMIN" : "USER";
      session.sessionVersion = token.sv ?? 0;
      session.sessionId = token.sid;
      session.authAt = token.authAt ?? 0;
      return session;
    },
    // Every redirect next-auth makes stays on APP_URL, whatever the request's Host said.
    redirect({ url }) {
      const app = new URL(env.APP_URL);
      let path = url;
      try {
        const absolute = new URL(url, app);
        path = absolute.origin === app.origin ? `${absolute.pathname}${absolute.search}${absolute.hash}` : "/keys";
      } catch {
        path = "/keys";
      }
      return `${env.APP_URL}${safeCallbackUrl(path, env.APP_URL)}`;
    },
  },
  events: {
    // Signing out ends every session of the user, not only this browser's cookie: a copied
    // cookie is refused from the next request on (its session version is out of date).
    async signOut(message) {
      const token = "token" in message ? message.token : null;
      if (!token?.sub) return;
      const user = await findAuthenticatedUser(token.sub);
      if (!user || user.sessionVersion !== token.sv) return; // that session had already ended
      await endAllSessions(
        prisma,
        user.id,
        { id: user.id, label: user.email, ip: clientIp(await headers()) },
        "signed out",
      );
    },
  },
  logger: {
    // Failed sign-ins are in the audit log, with the address and the client; expected refusals
    // (wrong password, missing CSRF token, a refused GitHub sign-in) are not errors.
    error(error) {
      const type = (error as { type?: string }).type ?? error.name;
      if (["CredentialsSignin", "MissingCSRF", "AccessDenied", "InvalidCheck", "UnknownAction"].includes(type)) return;
      log.error({ type, error: error.message }, "sign-in failed (next-auth)");
    },
    warn() {},
  },
};

export const { handlers, auth, signIn, signOut, unstable_update } = NextAuth(config);
export { githubEnabled, oidcEnabled };
