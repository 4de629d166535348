// POST /api/v1/admin/users/:id/sign-out – end every session of a user, on every instance (admins)
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { signOutEverywhere } from "@/lib/users/admin-users";
import * as declared from "./declaration";

export const POST = withApi(declared.POST, async ({ params, actor }) => {
  await signOutEverywhere(params.id, actor);
  return json({ signedOut: true });
});
