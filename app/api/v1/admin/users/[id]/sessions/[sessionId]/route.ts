// DELETE /api/v1/admin/users/:id/sessions/:sessionId – end one session of a user (admins)
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { endSession } from "@/lib/sessions/manage-sessions";
import * as declared from "./declaration";

export const DELETE = withApi(declared.DELETE, async ({ params, actor }) => {
  await endSession(params.id, params.sessionId, actor, "admin");
  return json({ ended: true });
});
