// POST /api/v1/me/2fa/recovery-codes – 10 new recovery codes, shown once; the old ones stop working
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { regenerateRecoveryCodes } from "@/lib/second-factor/enrolment";
import * as declared from "./declaration";

export const POST = withApi(declared.POST, async ({ user, actor }) => json(await regenerateRecoveryCodes(user, actor)));
