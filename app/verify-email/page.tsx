import type { Metadata } from "next";
import Link from "next/link";
import { AuthCard } from "@/components/auth/auth-card";
import { ConfirmEmailForm } from "@/components/auth/confirm-email-form";
import { Alert } from "@/components/ui/alert";
import { inspectToken } from "@/lib/users/email-verification";

export const metadata: Metadata = { title: "Verify your address" };

// Opening the link changes nothing (mail scanners open links too); the button does.
export default async function VerifyEmailPage({ searchParams }: PageProps<"/verify-email">) {
  const raw = (await searchParams).token;
  const token = typeof raw === "string" && /^[A-Za-z0-9_-]{20,100}$/.test(raw) ? raw : null;
  const state = token ? await inspectToken(token) : { status: "invalid" as const };
  return (
    <AuthCard title="Verify your address">
      {state.status === "ready" ? (
        <div className="space-y-4 text-sm">
          <p>
            Confirm that <strong className="break-all">{state.email}</strong> is yours.
            {state.claim
              ? " The name and password chosen at sign-up then replace the account's old ones, and its other sessions end."
              : ""}
          </p>
          <ConfirmEmailForm token={token!} />
        </div>
      ) : (
        <div className="space-y-4 text-sm">
          <Alert tone="warning">
            {state.status === "expired"
              ? "This link has expired. Sign in and ask for a new one under Settings."
              : state.status === "used"
                ? "This link has already been used."
                : "This is not a link we sent, or it was copied incompletely."}
          </Alert>
          <Link className="font-medium text-indigo-600 hover:underline dark:text-indigo-400" href="/sign-in">
            Go to sign-in
          </Link>
        </div>
      )}
    </AuthCard>
  );
}
