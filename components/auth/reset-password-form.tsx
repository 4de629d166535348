"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ApiError, callApi } from "@/components/keys/api-client";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";

/** The new password, posted with the link's token; then sign-in, since a reset signs nobody in. */
export function ResetPasswordForm({ token }: { token: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [pending, setPending] = useState(false);

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const password = String(new FormData(event.currentTarget).get("password") ?? "");
    setPending(true);
    setError(null);
    setFieldError(undefined);
    try {
      await callApi("POST", "/api/v1/password-reset/confirm", { token, password });
      router.replace("/sign-in?reset=1");
    } catch (e) {
      const field = e instanceof ApiError ? e.fieldErrors.find((f) => f.path === "password")?.message : undefined;
      if (field) setFieldError(field);
      else setError(e instanceof ApiError ? e.message : "Something went wrong. Try again.");
      setPending(false);
    }
  }

  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      {error ? <Alert tone="error">{error}</Alert> : null}
      <Field id="password" label="New password" hint="At least 8 characters." error={fieldError}>
        <Input
          id="password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          aria-invalid={!!fieldError}
        />
      </Field>
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Saving…" : "Set the new password"}
      </Button>
    </form>
  );
}
