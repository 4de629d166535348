// POST /api/v1/me/github/connect – start connecting GitHub to the signed-in account: answers the
// GitHub address to go to; the identity is linked when GitHub sends the browser back
import { cookies } from "next/headers";
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/api/with-api";
import { auth, signIn } from "@/lib/auth";
import { createLinkIntent, githubEnabled, LINK_INTENT_COOKIE, LINK_INTENT_TTL_MS } from "@/lib/auth/github";
import { env } from "@/lib/env";
import { forbidden, notFound } from "@/lib/errors";

export const POST = withApi({ access: "user" }, async ({ user }) => {
  if (!githubEnabled) throw notFound("GitHub sign-in is not configured here.");
  if (!user.emailVerified) throw forbidden("Verify your email address before connecting GitHub.");
  const session = await auth();
  (await cookies()).set(LINK_INTENT_COOKIE, createLinkIntent(user.id, session?.sessionVersion ?? 0), {
    httpOnly: true,
    sameSite: "lax",
    secure: env.APP_URL.startsWith("https:"),
    path: "/",
    maxAge: LINK_INTENT_TTL_MS / 1000,
  });
  const url = await signIn("github", { redirect: false, redirectTo: "/settings?github=connected" });
  return json({ url });
});
