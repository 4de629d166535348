// next-auth v5: email + password (Credentials) and, when configured, GitHub. JWT sessions carry
// the user id, role and the session version they were issued under; every request re-reads the
// user (lib/auth/current-user.ts), so a session ends as soon as its version is out of date.
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import { cookies, headers } from "next/headers";
import { z } from "zod";
import { clientIp } from "@/lib/api/client-ip";
import { zText } from "@/lib/api/text";
import { env } from "@/lib/env";
import { prisma } from "@/lib/db/client";
import { findAuthenticatedUser } from "@/lib/users/authenticate";
import { endAllSessions } from "@/lib/users/sessions";
import { GITHUB, linkedUserId, resolveGitHubSignIn } from "@/lib/users/github-accounts";
import { safeCallbackUrl } from "./callback-url";
import { fetchVerifiedEmails, githubEnabled, githubUrls, LINK_INTENT_COOKIE, readLinkIntent } from "./github";
import { signInWithPassword } from "./password-sign-in";

declare module "next-auth" {
  interface Session {
    user: { id: string; email: string; name?: string | null; role: "USER" | "ADMIN" };
    sessionVersion: number;
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

const ZCredentials = z.object({ email: zText().max(254), password: zText().max(200) });

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
        const parsed = ZCredentials.safeParse(raw);
        if (!parsed.success) throw new CredentialsSignin();
        const outcome = await signInWithPassword(parsed.data.email, parsed.data.password, clientIp(request.headers));
        if (outcome.ok) return outcome.user;
        if (outcome.reason === "throttled") throw new ThrottledSignIn(outcome.until);
        if (outcome.reason === "busy") throw new BusySignIn();
        throw new CredentialsSignin();
      },
    }),
    ...(githubEnabled
      ? [
          GitHub({
            ...(process.env.AUTH_GITHUB_ENTERPRISE_URL ? { enterprise: { baseUrl: githubUrls().web } } : {}),
            // The verified addresses come from /user/emails, which needs this scope.
            authorization: { params: { scope: "read:user user:email" } },
          }),
        ]
      : []),
  ],
  callbacks: {
    async signIn({ account, profile }) {
      if (account?.provider !== GITHUB) return true;
      if (!account.access_token) return "/auth/github?problem=unverified-github";
      const jar = await cookies();
      const intent = readLinkIntent(jar.get(LINK_INTENT_COOKIE)?.value);
      jar.delete(LINK_INTENT_COOKIE);
      const outcome = await resolveGitHubSignIn(
        {
          id: account.providerAccountId,
          name: typeof profile?.name === "string" ? profile.name : typeof profile?.login === "string" ? profile.login : null,
          emails: await fetchVerifiedEmails(account.access_token),
        },
        intent,
        clientIp(await headers()),
      );
      if ("refused" in outcome) return `/auth/github?problem=${outcome.refused}`;
      // Connecting keeps the session the user already has: back to Settings, signed in as before.
      if (outcome.linked) return "/settings?github=connected";
      return true;
    },
    async jwt({ token, user, account }) {
      if (account?.provider === GITHUB) {
        // signIn() above has just linked or found the account for this identity.
        const userId = await linkedUserId(account.providerAccountId);
        const linkedUser = userId ? await findAuthenticatedUser(userId) : null;
        if (!linkedUser) return null;
        return { ...token, sub: linkedUser.id, email: linkedUser.email, name: linkedUser.name, role: linkedUser.role, sv: linkedUser.sessionVersion };
      }
      if (user?.id) return { ...token, sub: user.id, role: user.role ?? "USER", sv: user.sessionVersion };
      return token;
    },
    session({ session, token }) {
      session.user.id = token.sub ?? "";
      session.user.role = token.role === "ADMIN" ? "ADMIN" : "USER";
      session.sessionVersion = token.sv ?? 0;
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
      await endAllSessions(prisma, user.id, { id: user.id, label: user.email, ip: clientIp(await headers()) }, "signed out");
    },
  },
  logger: {
    // Failed sign-ins are in the audit log, with the address and the client; expected refusals
    // (wrong password, missing CSRF token, a refused GitHub sign-in) are not errors.
    error(error) {
      const type = (error as { type?: string }).type ?? error.name;
      if (["CredentialsSignin", "MissingCSRF", "AccessDenied", "InvalidCheck", "UnknownAction"].includes(type)) return;
      console.error(`[auth] ${type}: ${error.message}`);
    },
    warn() {},
  },
};

export const { handlers, auth, signIn, signOut } = NextAuth(config);
export { githubEnabled };
