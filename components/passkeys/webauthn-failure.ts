// What to tell a person when the browser's WebAuthn prompt did not give an answer.
import { WebAuthnError } from "@simplewebauthn/browser";

/** A sentence for a failed browser prompt, or null when the failure was not the browser's. */
export function webAuthnFailure(error: unknown): string | null {
  if (error instanceof WebAuthnError && error.code === "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED") {
    return "This authenticator already holds a passkey for your account.";
  }
  if (error instanceof Error && (error.name === "NotAllowedError" || error.name === "AbortError")) {
    return "The passkey prompt was closed or timed out. Nothing changed.";
  }
  if (error instanceof WebAuthnError) return error.message;
  return null;
}
