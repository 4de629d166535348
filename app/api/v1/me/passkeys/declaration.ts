import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { z } from "zod";
import { ZRegisterPasskeyRequest } from "@/lib/passkeys/schemas";

export const GET = declareRoute({
  access: "user",
  scope: null,
  operationId: "listPasskeys",
  summary: "Your passkeys",
  tag: "Account",
  responses: R.ok(z.object({ items: z.array(R.ZPasskey) })),
});

export const POST = declareRoute({
  access: "user",
  scope: null,
  body: ZRegisterPasskeyRequest,
  operationId: "addPasskey",
  summary: "Add a passkey",
  description:
    "`response` is what startRegistration() answered to the options. 400 when it does not verify (unknown, used or expired challenge, another origin or RP id, a bad signature, no user verification); 409 when that passkey is already registered.",
  tag: "Account",
  responses: { 201: { description: "Added", schema: R.ZPasskey } },
  errors: [400, 403, 409],
  examples: {
    body: {
      name: ["Laptop", ""],
      response: [
        {
          id: "AAAA",
          rawId: "AAAA",
          type: "public-key",
          response: { clientDataJSON: "e30", attestationObject: "oA" },
          clientExtensionResults: {},
        },
        { id: "not base64!", type: "public-key" },
      ],
    },
  },
});
