import type { Metadata } from "next";
import Link from "next/link";
import { AuthCard } from "@/components/auth/auth-card";
import { ResetPasswordForm } from "@/components/auth/reset-password-form";
import { Alert } from "@/components/ui/alert";
import { inspectResetLink } from "@/lib/users/password-reset";

export const metadata: Metadata = { title: "Choose a new password" };

const linkClass = "font-medium text-indigo-600 hover:underline dark:text-indigo-400";

// Opening the link changes nothing (mail scanners open links too); the form does.
export default async function ResetPasswordPage({ searchParams }: PageProps<"/reset-password">) {
  const raw = (await searchParams).token;
  const token = typeof raw === "string" && /^[A-Za-z0-9_-]{20,100}$/.test(raw) ? raw : null;
  const state = token ? await inspectResetLink(token) : { status: "invalid" as const };
  return (
    <AuthCard title="Choose a new password">
      {state.status === "ready" ? (
        <div className="space-y-4 text-sm">
          <p>
            For <strong className="break-all">{state.email}</strong>.{" "}
            {state.firstPassword ? "The account signs in with GitHub so far; this gives it a password too. " : ""}
            Every session of the account then ends, and you sign in with the new password.
          </p>
          <ResetPasswordForm token={token!} />
        </div>
      ) : (
        <div className="space-y-4 text-sm">
          <Alert tone="warning">
            {state.status === "expired"
              ? "This link has expired: links work for an hour."
              : state.status === "used"
                ? "This link has already been used."
                : "This is not a link we sent, or it was copied incompletely."}
          </Alert>
          <p className="flex gap-4">
            <Link className={linkClass} href="/forgot-password">
              Ask for a new link
            </Link>
            <Link className={linkClass} href="/sign-in">
              Go to sign-in
            </Link>
          </p>
        </div>
      )}
    </AuthCard>
  );
}
