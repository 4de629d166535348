// POST /api/v1/me/verification – email a new link to verify the signed-in user's address
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { resendVerification } from "@/lib/users/email-verification";
import * as declared from "./declaration";

export const POST = withApi(declared.POST, async ({ user }) => {
  await resendVerification(user.id);
  return json({ sent: true }, { status: 202 });
});
