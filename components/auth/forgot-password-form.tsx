"use client";
import Link from "next/link";
import { useState } from "react";
import { ApiError, callApi } from "@/components/keys/api-client";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";

const linkClass = "font-medium text-indigo-600 hover:underline dark:text-indigo-400";

/** Asks for the address; what it then says is the same whether or not the address has an account. */
export function ForgotPasswordForm({ email, smtp }: { email: string; smtp: boolean }) {
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const address = String(new FormData(event.currentTarget).get("email") ?? "").trim();
    setPending(true);
    setError(null);
    try {
      await callApi("POST", "/api/v1/password-reset", { email: address });
      setSentTo(address);
    } catch (e) {
      setError(e instanceof ApiError ? (e.fieldErrors[0]?.message ?? e.message) : "Something went wrong. Try again.");
    } finally {
      setPending(false);
    }
  }

  if (sentTo) {
    return (
      <div className="space-y-4 text-sm">
        <p className="break-words">
          If {sentTo} has an account here, we sent it a link to choose a new password. The link works once, for an hour.
        </p>
        {smtp ? null : (
          <Alert tone="info">
            This Keyward sends no email yet (no <code>SMTP_URL</code>): an admin finds the message under Admin → Outbox,
            or sends you a link from Admin → Users.
          </Alert>
        )}
        <Link className={linkClass} href="/sign-in">
          Back to sign-in
        </Link>
      </div>
    );
  }
  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Enter your account&apos;s address: we email it a link to choose a new password.
      </p>
      {error ? <Alert tone="error">{error}</Alert> : null}
      <Field id="email" label="Email">
        <Input id="email" name="email" type="email" autoComplete="email" required defaultValue={email} />
      </Field>
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Sending…" : "Send a reset link"}
      </Button>
      <p className="text-center text-sm">
        <Link className={linkClass} href="/sign-in">
          Back to sign-in
        </Link>
      </p>
    </form>
  );
}
