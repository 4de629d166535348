"use client";
import Link from "next/link";
import { useActionState } from "react";
import type { FormState } from "@/lib/auth/actions";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";

interface Props {
  mode: "sign-in" | "sign-up";
  action: (state: FormState, form: FormData) => Promise<FormState>;
  callbackUrl: string;
  notice?: string;
}

export function AuthForm({ mode, action, callbackUrl, notice }: Props) {
  const [state, formAction, pending] = useActionState(action, {});
  const signUp = mode === "sign-up";
  const fieldError = (name: string) => state.fieldErrors?.[name];
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      {notice && !state.error ? <Alert tone="info">{notice}</Alert> : null}
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      {signUp ? (
        <Field id="name" label="Name" error={fieldError("name")}>
          <Input id="name" name="name" autoComplete="name" required defaultValue={state.values?.name} aria-invalid={!!fieldError("name")} />
        </Field>
      ) : null}
      <Field id="email" label="Email" error={fieldError("email")}>
        <Input id="email" name="email" type="email" autoComplete="email" required defaultValue={state.values?.email} aria-invalid={!!fieldError("email")} />
      </Field>
      <Field id="password" label="Password" hint={signUp ? "At least 8 characters." : undefined} error={fieldError("password")}>
        <Input
          id="password"
          name="password"
          type="password"
          autoComplete={signUp ? "new-password" : "current-password"}
          required
          aria-invalid={!!fieldError("password")}
        />
      </Field>
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Please wait…" : signUp ? "Create account" : "Sign in"}
      </Button>
      <p className="text-center text-sm text-zinc-600 dark:text-zinc-400">
        {signUp ? "Already have an account? " : "New here? "}
        <Link
          className="font-medium text-indigo-600 hover:underline dark:text-indigo-400"
          href={`${signUp ? "/sign-in" : "/sign-up"}?callbackUrl=${encodeURIComponent(callbackUrl)}`}
        >
          {signUp ? "Sign in" : "Create an account"}
        </Link>
      </p>
    </form>
  );
}
