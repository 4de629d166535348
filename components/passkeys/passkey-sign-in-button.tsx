"use client";
// "Sign in with a passkey": options from the server (no allowCredentials, so the browser offers the
// passkeys it holds for this site), the browser's prompt, then next-auth's "passkey" provider.
import { startAuthentication, type PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/browser";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { callApi, refusalText } from "@/components/keys/api-client";
import { passkeySignInAction } from "@/lib/actions/passkey-sign-in";
import { useWebAuthnSupported } from "./use-webauthn-supported";
import { webAuthnFailure } from "./webauthn-failure";

export function PasskeySignInButton({ callbackUrl }: { callbackUrl: string }) {
  const supported = useWebAuthnSupported();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function signIn() {
    setPending(true);
    setError(null);
    try {
      const optionsJSON = await callApi<PublicKeyCredentialRequestOptionsJSON>("POST", "/api/v1/passkeys/options");
      const assertion = await startAuthentication({ optionsJSON });
      // On success the action redirects, and this page is left behind.
      const result = await passkeySignInAction(JSON.stringify(assertion), callbackUrl);
      if (result?.error) setError(result.error);
    } catch (e) {
      setError(webAuthnFailure(e) ?? refusalText(e, "Sign-in with a passkey failed. Try again."));
    } finally {
      setPending(false);
    }
  }

  if (!supported) return null;
  return (
    <div className="mt-4 space-y-3">
      <div className="text-center text-xs uppercase tracking-wide text-zinc-500">or</div>
      {error ? <Alert tone="error">{error}</Alert> : null}
      <Button variant="secondary" className="w-full" disabled={pending} onClick={signIn}>
        {pending ? "Waiting for your passkey…" : "Sign in with a passkey"}
      </Button>
    </div>
  );
}
