// POST /api/v1/passkeys/options – anyone: options to sign in with a passkey alone (no
// allowCredentials: the browser offers the passkeys it holds for this site); rate-limited per client
import { json } from "@/lib/api/respond";
import { withApi } from "@/lib/routes/with-api";
import { authenticationOptions } from "@/lib/passkeys";
import * as declared from "./declaration";

export const POST = withApi(declared.POST, async () => json(await authenticationOptions()));
