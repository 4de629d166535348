// POST /api/v1/me/github/connect – start connecting GitHub to the signed-in account: answers the
// GitHub address to go to; the identity is linked when GitHub sends the browser back
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { signIn } from "@/lib/auth";
import { startConnecting } from "@/lib/auth/connect-external";
import { githubEnabled } from "@/lib/auth/github";
import { notFound } from "@/lib/errors";
import { GITHUB } from "@/lib/users/external-accounts";
import * as declared from "./declaration";

export const POST = withApi(declared.POST, async ({ user }) => {
  if (!githubEnabled) throw notFound("GitHub sign-in is not configured here.");
  await startConnecting(GITHUB, user, "GitHub");
  const url = await signIn(GITHUB, { redirect: false, redirectTo: "/settings?github=connected" });
  return json({ url });
});
