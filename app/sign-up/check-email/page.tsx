import type { Metadata } from "next";
import Link from "next/link";
import { AuthCard } from "@/components/auth/auth-card";
import { Alert } from "@/components/ui/alert";
import { safeCallbackUrl } from "@/lib/auth/callback-url";
import { env } from "@/lib/env";

export const metadata: Metadata = { title: "Check your inbox" };

// What every sign-up is told, whether or not the address already had an account.
export default async function CheckEmailPage({ searchParams }: PageProps<"/sign-up/check-email">) {
  const params = await searchParams;
  const email = typeof params.email === "string" ? params.email.slice(0, 254) : "your address";
  const callbackUrl = safeCallbackUrl(params.callbackUrl, env.APP_URL);
  return (
    <AuthCard title="Check your inbox">
      <div className="space-y-4 text-sm">
        <p>
          We sent a message to <strong className="break-all">{email}</strong>. Open the link in it to finish: it
          verifies the address, and it works once, for 24 hours.
        </p>
        {env.SMTP_URL ? null : (
          <Alert tone="info">
            This Keyward sends no email yet (no <code>SMTP_URL</code>): an admin finds the message under Admin → Outbox.
          </Alert>
        )}
        <p>
          Already verified?{" "}
          <Link
            className="font-medium text-indigo-600 hover:underline dark:text-indigo-400"
            href={`/sign-in?callbackUrl=${encodeURIComponent(callbackUrl)}`}
          >
            Sign in
          </Link>
        </p>
      </div>
    </AuthCard>
  );
}
