// POST /api/v1/admin/users/:id/2fa/reset – remove a user's second factor: audited, the user is
// emailed, their sessions end (admins)
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { resetSecondFactor } from "@/lib/second-factor/admin-reset";
import * as declared from "./declaration";

export const POST = withApi(declared.POST, async ({ params, actor }) => {
  await resetSecondFactor(params.id, actor);
  return json({ reset: true });
});
