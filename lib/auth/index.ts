// next-auth v5: email + password (Credentials) and, when configured, GitHub. JWT sessions carry
// the user id and role; server code still re-reads the user (lib/auth/current-user.ts), so a
// demoted or deleted user loses access at once.
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import { z } from "zod";
import { zText } from "@/lib/api/text";
import { authenticate, upsertOAuthUser } from "@/lib/users/authenticate";

declare module "next-auth" {
  interface Session {
    user: { id: string; email: string; name?: string | null; role: "USER" | "ADMIN" };
  }
  interface User {
    role?: "USER" | "ADMIN";
  }
}

const ZCredentials = z.object({ email: zText().max(254), password: zText().max(200) });

const githubEnabled = Boolean(process.env.AUTH_GITHUB_ID && process.env.AUTH_GITHUB_SECRET);

const config: NextAuthConfig = {
  secret: process.env.AUTH_SECRET,
  // Self-hosted behind whatever proxy the operator runs; APP_URL is the public address.
  trustHost: true,
  session: { strategy: "jwt", maxAge: 7 * 24 * 3600 },
  pages: { signIn: "/sign-in", error: "/sign-in" },
  providers: [
    Credentials({
      credentials: { email: { label: "Email" }, password: { label: "Password", type: "password" } },
      async authorize(raw) {
        const parsed = ZCredentials.safeParse(raw);
        if (!parsed.success) throw new CredentialsSignin();
        const user = await authenticate(parsed.data.email, parsed.data.password);
        if (!user) throw new CredentialsSignin();
        return user;
      },
    }),
    ...(githubEnabled ? [GitHub] : []),
  ],
  callbacks: {
    async signIn({ account, profile }) {
      if (account?.provider !== "github") return true;
      return typeof profile?.email === "string";
    },
    async jwt({ token, user, account, profile }) {
      if (account?.provider === "github" && typeof profile?.email === "string") {
        const linked = await upsertOAuthUser("github", account.providerAccountId, profile.email, profile.name ?? null);
        token.sub = linked.id;
        token.role = linked.role;
      } else if (user?.id) {
        token.sub = user.id;
        token.role = user.role ?? "USER";
      }
      return token;
    },
    session({ session, token }) {
      session.user.id = token.sub ?? "";
      session.user.role = token.role === "ADMIN" ? "ADMIN" : "USER";
      return session;
    },
  },
  logger: {
    // A wrong password is not an error worth a stack trace in the log.
    error(error) {
      if (error.name === "CredentialsSignin") return;
      console.error(`[auth] ${error.name}: ${error.message}`);
    },
    warn() {},
  },
};

export const { handlers, auth, signIn, signOut } = NextAuth(config);
export { githubEnabled };
