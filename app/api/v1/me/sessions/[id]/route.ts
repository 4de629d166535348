// DELETE /api/v1/me/sessions/:id – end one of the signed-in account's sessions (signed out at its
// next request)
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { endSession } from "@/lib/sessions/manage-sessions";
import * as declared from "./declaration";

export const DELETE = withApi(declared.DELETE, async ({ user, params, actor }) => {
  await endSession(user.id, params.id, actor, "owner");
  return json({ ended: true });
});
