// GET /api/v1/me/sso – whether the single sign-on identity is connected; DELETE – disconnect it
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { notFound } from "@/lib/errors";
import { oidcEnabled, oidcName } from "@/lib/sso/oidc-config";
import { externalLinkOf, OIDC, unlinkExternal } from "@/lib/users/external-accounts";
import * as declared from "./declaration";

export const GET = withApi(declared.GET, async ({ user }) => {
  if (!oidcEnabled) throw notFound("Single sign-on is not configured here.");
  return json({ ...(await externalLinkOf(user.id, OIDC)), name: oidcName() });
});

export const DELETE = withApi(declared.DELETE, async ({ user, actor }) => {
  if (!oidcEnabled) throw notFound("Single sign-on is not configured here.");
  await unlinkExternal(user.id, OIDC, oidcName(), actor);
  return json({ linked: false });
});
