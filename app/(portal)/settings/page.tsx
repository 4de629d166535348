import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { PreferencesForm } from "@/components/notify/preferences-form";
import { AccountSection } from "@/components/settings/account-section";
import { DeleteAccountForm } from "@/components/settings/delete-account-form";
import { getCurrentUser } from "@/lib/auth/current-user";
import { githubEnabled } from "@/lib/auth/github";
import { getPreferences } from "@/lib/notify/preferences";
import { oidcEnabled, oidcName } from "@/lib/sso/oidc-config";
import { externalLinksOf } from "@/lib/users/external-accounts";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage({ searchParams }: PageProps<"/settings">) {
  const user = await getCurrentUser();
  if (!user) redirect("/sign-in?callbackUrl=/settings");
  const [preferences, links] = await Promise.all([getPreferences(user.id), externalLinksOf(user.id)]);
  const params = await searchParams;
  const connected = params.github === "connected" ? "GitHub" : params.oidc === "connected" ? oidcName() : null;
  const notice = connected ? `${connected} is connected: you can sign in with it from now on.` : undefined;
  return (
    <div className="space-y-10">
      <h1 className="text-2xl font-semibold tracking-tight">Settings</h1>
      <AccountSection
        email={user.email}
        emailVerified={user.emailVerified}
        hasPassword={links.hasPassword}
        github={{ enabled: githubEnabled, linked: links.linked.github }}
        sso={{ enabled: oidcEnabled, name: oidcName(), linked: links.linked.oidc }}
        notice={notice}
      />
      <section aria-labelledby="security-heading" className="space-y-2">
        <h2 id="security-heading" className="text-lg font-semibold">
          Security
        </h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          A code from an authenticator app after your password, recovery codes for when you lose it, and passkeys that
          sign you in with your device.{" "}
          <Link
            href="/settings/security"
            className="text-indigo-600 underline-offset-2 hover:underline dark:text-indigo-400"
          >
            Two-factor authentication and passkeys
          </Link>
        </p>
      </section>
      <section aria-labelledby="tokens-heading" className="space-y-2">
        <h2 id="tokens-heading" className="text-lg font-semibold">
          API tokens
        </h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          For scripts, CI jobs and services that manage or verify your keys without a browser.{" "}
          <Link
            href="/settings/tokens"
            className="text-indigo-600 underline-offset-2 hover:underline dark:text-indigo-400"
          >
            Manage API tokens
          </Link>
        </p>
      </section>
      <section aria-labelledby="sessions-heading" className="space-y-2">
        <h2 id="sessions-heading" className="text-lg font-semibold">
          Sessions
        </h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Where your account is signed in, and when each browser was last seen.{" "}
          <Link
            href="/settings/sessions"
            className="text-indigo-600 underline-offset-2 hover:underline dark:text-indigo-400"
          >
            Manage sessions
          </Link>
        </p>
      </section>
      <section aria-labelledby="email-heading" className="space-y-4">
        <h2 id="email-heading" className="text-lg font-semibold">
          Email
        </h2>
        <PreferencesForm initial={preferences} email={user.email} />
      </section>
      <section
        aria-labelledby="delete-heading"
        className="space-y-4 rounded-xl p-4 ring-1 ring-red-300 dark:ring-red-900"
      >
        <h2 id="delete-heading" className="text-lg font-semibold text-red-700 dark:text-red-400">
          Delete account
        </h2>
        <DeleteAccountForm email={user.email} />
      </section>
    </div>
  );
}
