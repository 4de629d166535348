// POST /api/v1/password-reset – email a link that sets a new password ({email}); always the same
// 202, whether or not the address has an account; throttled per address and per client
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { requestPasswordReset } from "@/lib/users/password-reset";
import * as declared from "./declaration";

export const POST = withApi(declared.POST, async ({ body, actor }) => {
  await requestPasswordReset(body.email, actor.ip);
  return json(
    {
      message:
        "If this address has an account here, a link to choose a new password is on its way. It works once, for an hour.",
    },
    { status: 202 },
  );
});
