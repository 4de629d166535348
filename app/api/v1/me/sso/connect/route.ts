// POST /api/v1/me/sso/connect – start connecting the single sign-on identity to the signed-in
// account: answers the provider's address to go to; the identity is linked when it sends the
// browser back
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { signIn } from "@/lib/auth";
import { startConnecting } from "@/lib/auth/connect-external";
import { notFound } from "@/lib/errors";
import { oidcEnabled, oidcName } from "@/lib/sso/oidc-config";
import { OIDC } from "@/lib/users/external-accounts";
import * as declared from "./declaration";

export const POST = withApi(declared.POST, async ({ user }) => {
  if (!oidcEnabled) throw notFound("Single sign-on is not configured here.");
  await startConnecting(OIDC, user, oidcName());
  const url = await signIn(OIDC, { redirect: false, redirectTo: "/settings?oidc=connected" });
  return json({ url });
});
