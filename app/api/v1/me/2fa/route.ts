// GET /api/v1/me/2fa – your second factor: whether TOTP is on, recovery codes left, whether required
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { secondFactorStatus } from "@/lib/second-factor/enrolment";
import * as declared from "./declaration";

export const GET = withApi(declared.GET, async ({ user }) => json(await secondFactorStatus(user)));
