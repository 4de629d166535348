// What a browser sends back from @simplewebauthn/browser's startRegistration() and
// startAuthentication(), bounded: every field is base64url text of a sane length, so garbage is a
// 422 before any decoding, and the library only ever sees well-formed strings.
import { z } from "zod";
import { zText } from "@/lib/api/text";

const base64url = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[A-Za-z0-9_-]*$/, "must be base64url");

const TRANSPORTS = ["ble", "cable", "hybrid", "internal", "nfc", "smart-card", "usb"] as const;

const ZExtensionResults = z
  .object({ credProps: z.object({ rk: z.boolean().optional() }).optional() })
  .optional()
  .default({});

export const ZRegistrationResponse = z.object({
  id: base64url(1400),
  rawId: base64url(1400),
  type: z.literal("public-key"),
  response: z.object({
    clientDataJSON: base64url(4096),
    attestationObject: base64url(12_000),
    transports: z.array(z.enum(TRANSPORTS)).max(7).optional(),
  }),
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
  clientExtensionResults: ZExtensionResults,
});

export const ZAuthenticationResponse = z.object({
  id: base64url(1400),
  rawId: base64url(1400),
  type: z.literal("public-key"),
  response: z.object({
    clientDataJSON: base64url(4096),
    authenticatorData: base64url(4096),
    signature: base64url(2048),
    userHandle: base64url(256).optional(),
  }),
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
  clientExtensionResults: ZExtensionResults,
});
export type TAuthenticationResponse = z.infer<typeof ZAuthenticationResponse>;

const zPasskeyName = zText().trim().min(1, "Give the passkey a name").max(64);

export const ZRegisterPasskeyRequest = z.strictObject({ response: ZRegistrationResponse, name: zPasskeyName });
export type TRegisterPasskeyRequest = z.infer<typeof ZRegisterPasskeyRequest>;

export const ZRenamePasskeyRequest = z.strictObject({ name: zPasskeyName });
