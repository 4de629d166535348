// POST /api/v1/me/passkeys/options – registration options for a new passkey of the signed-in person
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { registrationOptions } from "@/lib/passkeys";
import * as declared from "./declaration";

export const POST = withApi(declared.POST, async ({ user }) => json(await registrationOptions(user)));
