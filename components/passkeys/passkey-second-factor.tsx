"use client";
// A passkey as the second factor, on the sign-in form's second step: the browser signs a fresh
// challenge with one of the account's passkeys, and the form is sent again (address and password
// with it) carrying the assertion in its `passkey` field, as it would carry a code.
import { startAuthentication, type PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/browser";
import { useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { callApi, refusalText } from "@/components/keys/api-client";
import { useWebAuthnSupported } from "./use-webauthn-supported";
import { webAuthnFailure } from "./webauthn-failure";

export function PasskeySecondFactor({ primary }: { primary: boolean }) {
  const supported = useWebAuthnSupported();
  const field = useRef<HTMLInputElement>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function prove() {
    setPending(true);
    setError(null);
    try {
      const optionsJSON = await callApi<PublicKeyCredentialRequestOptionsJSON>("POST", "/api/v1/passkeys/options");
      const assertion = await startAuthentication({ optionsJSON });
      const input = field.current!;
      input.value = JSON.stringify(assertion);
      input.form?.requestSubmit();
    } catch (e) {
      setError(webAuthnFailure(e) ?? refusalText(e, "That did not work. Try again."));
    } finally {
      setPending(false);
    }
  }
  if (!supported)
    return <Alert tone="warning">This browser cannot use passkeys. Sign in from one that can, or use a code.</Alert>;
  return (
    <div className="space-y-2">
      <input ref={field} type="hidden" name="passkey" defaultValue="" />
      {error ? <Alert tone="error">{error}</Alert> : null}
      <Button
        type="button"
        variant={primary ? "primary" : "secondary"}
        className="w-full"
        disabled={pending}
        onClick={prove}
      >
        {pending ? "Waiting for your passkey…" : "Use a passkey"}
      </Button>
    </div>
  );
}
