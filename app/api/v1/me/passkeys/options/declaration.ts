import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";

export const POST = declareRoute({
  access: "user",
  scope: null,
  operationId: "passkeyRegistrationOptions",
  summary: "Start adding a passkey",
  description:
    "WebAuthn registration options for navigator.credentials.create() (through @simplewebauthn/browser's `startRegistration({ optionsJSON })`): a discoverable credential with user verification, your existing passkeys excluded. Its challenge is good for 5 minutes, once. 403 until your address is verified; 409 at 20 passkeys.",
  tag: "Account",
  responses: R.ok(R.ZPasskeyRegistrationOptions),
  errors: [403, 409],
});
