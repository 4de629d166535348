// GET /api/v1/me/github – whether GitHub is connected; DELETE – disconnect it
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { externalLinkOf, GITHUB, unlinkExternal } from "@/lib/users/external-accounts";
import * as declared from "./declaration";

export const GET = withApi(declared.GET, async ({ user }) => json(await externalLinkOf(user.id, GITHUB)));

export const DELETE = withApi(declared.DELETE, async ({ user, actor }) => {
  await unlinkExternal(user.id, GITHUB, "GitHub", actor);
  return json({ linked: false });
});
