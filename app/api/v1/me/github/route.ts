// GET /api/v1/me/github – whether GitHub is connected; DELETE – disconnect it
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/api/with-api";
import { githubLinkOf, unlinkGitHub } from "@/lib/users/github-accounts";

export const GET = withApi({ access: "user" }, async ({ user }) => json(await githubLinkOf(user.id)));

export const DELETE = withApi({ access: "user" }, async ({ user, actor }) => {
  await unlinkGitHub(user.id, actor);
  return json({ linked: false });
});
