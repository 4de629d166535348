// POST /api/v1/admin/users/:id/sign-out – end every session of a user, on every instance (admins)
import { json } from "@/lib/api/respond";
import { ZIdParams } from "@/lib/api/text";
import { withApi } from "@/lib/api/with-api";
import { signOutEverywhere } from "@/lib/users/admin-users";

export const POST = withApi({ access: "admin", params: ZIdParams }, async ({ params, actor }) => {
  await signOutEverywhere(params.id!, actor);
  return json({ signedOut: true });
});
