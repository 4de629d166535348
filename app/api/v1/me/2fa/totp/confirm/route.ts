// POST /api/v1/me/2fa/totp/confirm – finish TOTP enrolment with a first code; answers the 10
// recovery codes, once
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { confirmTotpEnrolment } from "@/lib/second-factor/enrolment";
import * as declared from "./declaration";

export const POST = withApi(declared.POST, async ({ user, body, actor }) =>
  json(await confirmTotpEnrolment(user, body, actor)),
);
