import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { PasskeysSection } from "@/components/passkeys/passkeys-section";
import { SecurityPanel } from "@/components/settings/security-panel";
import { Alert } from "@/components/ui/alert";
import { getCurrentUser } from "@/lib/auth/current-user";
import { listPasskeys } from "@/lib/passkeys";
import { secondFactorStatus } from "@/lib/second-factor/enrolment";
import { enrolmentDue } from "@/lib/second-factor/policy";

export const metadata: Metadata = { title: "Security" };

// Settings → Security: two-factor authentication and passkeys. An account that REQUIRE_2FA sends here first
// (proxy.ts) sees why, and nothing else of the portal until it has set it up.
export default async function SecurityPage() {
  const user = await getCurrentUser();
  if (!user) redirect("/sign-in?callbackUrl=/settings/security");
  // The gate's own rule (any factor, a passkey included, satisfies REQUIRE_2FA), not the query's word.
  const [status, passkeys, due] = await Promise.all([
    secondFactorStatus(user),
    listPasskeys(user.id),
    enrolmentDue(user),
  ]);
  const who = due === "everyone" ? "every account" : due === "admins" ? "admins" : null;
  return (
    <div className="max-w-2xl space-y-6">
      <div className="space-y-1">
        <p className="text-sm">
          <Link href="/settings" className="text-indigo-600 underline-offset-2 hover:underline dark:text-indigo-400">
            Settings
          </Link>{" "}
          / Security
        </p>
        <h1 className="text-2xl font-semibold tracking-tight">Security</h1>
      </div>
      {who ? (
        <Alert tone="warning">
          This Keyward requires two-factor authentication for {who}. Set up an authenticator app or a passkey to go on:
          the rest of the portal and the API wait until you do.
        </Alert>
      ) : null}
      <SecurityPanel initial={status} />
      <PasskeysSection initial={passkeys} emailVerified={user.emailVerified} />
    </div>
  );
}
