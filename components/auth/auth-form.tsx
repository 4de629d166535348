"use client";
import Link from "next/link";
import { useActionState, useState } from "react";
import type { FormState } from "@/lib/auth/actions";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { PasskeySecondFactor } from "@/components/passkeys/passkey-second-factor";

interface Props {
  mode: "sign-in" | "sign-up";
  action: (state: FormState, form: FormData) => Promise<FormState>;
  callbackUrl: string;
  notice?: string;
  /** Where the form starts: the second step, for a GitHub or OIDC sign-in held for it. */
  initial?: FormState;
  /** The held sign-in's provider, as people know it ("GitHub"). */
  heldBy?: string;
}

export function AuthForm({ mode, action, callbackUrl, notice, initial, heldBy }: Props) {
  const [state, formAction, pending] = useActionState(action, initial ?? {});
  // Kept here (not left to the input) so the second step can send it again with the code.
  const [password, setPassword] = useState("");
  const signUp = mode === "sign-up";
  const fieldError = (name: string) => state.fieldErrors?.[name];
  if (!signUp && state.step === "otp") {
    const codes = state.factors?.includes("totp") ?? true;
    return (
      <form action={formAction} className="space-y-4" noValidate>
        <input type="hidden" name="callbackUrl" value={callbackUrl} />
        {state.held ? (
          <input type="hidden" name="held" value={state.held} />
        ) : (
          <>
            <input type="hidden" name="email" value={state.values?.email ?? ""} />
            <input type="hidden" name="password" value={password} />
          </>
        )}
        {state.error ? (
          <Alert tone="error">{state.error}</Alert>
        ) : (
          <Alert tone="info">
            Your account has two-factor authentication.
            {state.held
              ? ` ${heldBy ?? "Your provider"} has confirmed who you are: give your second factor to finish.`
              : ""}
          </Alert>
        )}
        {codes ? (
          <>
            <Field
              id="otp"
              label="Authentication code"
              hint="The 6-digit code from your authenticator app, or one of your recovery codes."
            >
              <Input
                id="otp"
                name="otp"
                autoComplete="one-time-code"
                autoFocus
                required
                aria-invalid={!!state.error}
                spellCheck={false}
              />
            </Field>
            <Button type="submit" className="w-full" disabled={pending}>
              {pending ? "Please wait…" : "Verify"}
            </Button>
          </>
        ) : null}
        {state.factors?.includes("passkey") ? <PasskeySecondFactor primary={!codes} /> : null}
        <p className="text-center text-sm">
          <a
            className="font-medium text-indigo-600 hover:underline dark:text-indigo-400"
            href={`/sign-in?callbackUrl=${encodeURIComponent(callbackUrl)}`}
          >
            Start over
          </a>
        </p>
      </form>
    );
  }
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      {notice && !state.error ? <Alert tone="info">{notice}</Alert> : null}
      {state.error ? <Alert tone="error">{state.error}</Alert> : null}
      {signUp ? (
        <Field id="name" label="Name" error={fieldError("name")}>
          <Input
            id="name"
            name="name"
            autoComplete="name"
            required
            defaultValue={state.values?.name}
            aria-invalid={!!fieldError("name")}
          />
        </Field>
      ) : null}
      <Field id="email" label="Email" error={fieldError("email")}>
        <Input
          id="email"
          name="email"
          type="email"
          autoComplete="email"
          required
          defaultValue={state.values?.email}
          aria-invalid={!!fieldError("email")}
        />
      </Field>
      <Field
        id="password"
        label="Password"
        hint={signUp ? "At least 8 characters." : undefined}
        error={fieldError("password")}
      >
        <Input
          id="password"
          name="password"
          type="password"
          autoComplete={signUp ? "new-password" : "current-password"}
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          aria-invalid={!!fieldError("password")}
        />
      </Field>
      {signUp ? null : (
        <p className="-mt-2 text-right text-sm">
          <Link className="font-medium text-indigo-600 hover:underline dark:text-indigo-400" href="/forgot-password">
            Forgot password?
          </Link>
        </p>
      )}
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
