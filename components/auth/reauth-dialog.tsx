"use client";
// Sudo mode's question, asked once for the whole portal (mounted in its layout): when a dangerous
// action answers REAUTH_REQUIRED, callApi (components/keys/api-client.ts) opens this dialog, and
// retries the action once the password or a code was accepted.
import { useEffect, useRef, useState, type FormEvent } from "react";
import { setReauthenticate } from "@/components/keys/api-client";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, Input } from "@/components/ui/field";

interface Methods {
  password: boolean;
  otp: boolean;
  github: boolean;
}

export function ReauthDialog() {
  const [open, setOpen] = useState(false);
  const [methods, setMethods] = useState<Methods | null>(null);
  const [mode, setMode] = useState<"password" | "otp">("password");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const answer = useRef<((ok: boolean) => void) | null>(null);

  const settle = (ok: boolean) => {
    answer.current?.(ok);
    answer.current = null;
    setOpen(false);
  };

  useEffect(() => {
    setReauthenticate(
      () =>
        new Promise<boolean>((resolve) => {
          answer.current?.(false);
          answer.current = resolve;
          setError(null);
          setOpen(true);
          void fetch("/api/v1/me/reauth")
            .then((r) => (r.ok ? (r.json() as Promise<{ methods: Methods }>) : null))
            .then((data) => {
              if (!data) return;
              setMethods(data.methods);
              setMode(data.methods.password || !data.methods.otp ? "password" : "otp");
            });
        }),
    );
    return () => setReauthenticate(null);
  }, []);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = String(new FormData(event.currentTarget).get("secret") ?? "");
    setPending(true);
    setError(null);
    try {
      const response = await fetch("/api/v1/me/reauth", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(mode === "password" ? { password: value } : { otp: value }),
      });
      if (response.ok) return settle(true);
      const problem = (await response.json().catch(() => null)) as { detail?: string } | null;
      setError(problem?.detail ?? `Could not confirm (${response.status}).`);
    } finally {
      setPending(false);
    }
  }

  const noWay = methods !== null && !methods.password && !methods.otp;
  return (
    <Dialog
      open={open}
      onClose={() => settle(false)}
      title="Confirm it is you"
      description="This action needs a recent sign-in. Confirm who you are to go on; you will not be asked again for 10 minutes."
    >
      {noWay ? (
        <Alert tone="warning">
          Your account signs in with GitHub only. Sign out and sign in again to go on, or set a password in Settings.
        </Alert>
      ) : (
        <form onSubmit={submit} className="space-y-4" noValidate>
          {error ? <Alert tone="error">{error}</Alert> : null}
          {mode === "password" ? (
            <Field id="reauth-password" label="Password">
              <Input
                id="reauth-password"
                name="secret"
                type="password"
                autoComplete="current-password"
                autoFocus
                required
              />
            </Field>
          ) : (
            <Field id="reauth-otp" label="Authentication code" hint="From your authenticator app, or a recovery code.">
              <Input id="reauth-otp" name="secret" autoComplete="one-time-code" autoFocus required spellCheck={false} />
            </Field>
          )}
          <div className="flex flex-wrap items-center justify-between gap-2">
            {methods?.password && methods.otp ? (
              <button
                type="button"
                className="text-sm font-medium text-indigo-600 hover:underline dark:text-indigo-400"
                onClick={() => setMode(mode === "password" ? "otp" : "password")}
              >
                {mode === "password" ? "Use an authentication code instead" : "Use your password instead"}
              </button>
            ) : (
              <span />
            )}
            <div className="flex gap-2">
              <Button variant="secondary" onClick={() => settle(false)}>
                Cancel
              </Button>
              <Button type="submit" disabled={pending}>
                {pending ? "Checking…" : "Confirm"}
              </Button>
            </div>
          </div>
        </form>
      )}
    </Dialog>
  );
}
