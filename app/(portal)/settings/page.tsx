import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { PreferencesForm } from "@/components/notify/preferences-form";
import { AccountSection } from "@/components/settings/account-section";
import { DeleteAccountForm } from "@/components/settings/delete-account-form";
import { getCurrentUser } from "@/lib/auth/current-user";
import { githubEnabled } from "@/lib/auth/github";
import { getPreferences } from "@/lib/notify/preferences";
import { githubLinkOf } from "@/lib/users/github-accounts";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage({ searchParams }: PageProps<"/settings">) {
  const user = await getCurrentUser();
  if (!user) redirect("/sign-in?callbackUrl=/settings");
  const [preferences, link] = await Promise.all([getPreferences(user.id), githubLinkOf(user.id)]);
  const notice = (await searchParams).github === "connected" ? "GitHub is connected: you can sign in with it from now on." : undefined;
  return (
    <div className="space-y-10">
      <h1 className="text-2xl font-semibold tracking-tight">Settings</h1>
      <AccountSection
        email={user.email}
        emailVerified={user.emailVerified}
        hasPassword={link.hasPassword}
        github={{ enabled: githubEnabled, linked: link.linked }}
        notice={notice}
      />
      <section aria-labelledby="email-heading" className="space-y-4">
        <h2 id="email-heading" className="text-lg font-semibold">
          Email
        </h2>
        <PreferencesForm initial={preferences} email={user.email} />
      </section>
      <section aria-labelledby="delete-heading" className="space-y-4 rounded-xl p-4 ring-1 ring-red-300 dark:ring-red-900">
        <h2 id="delete-heading" className="text-lg font-semibold text-red-700 dark:text-red-400">
          Delete account
        </h2>
        <DeleteAccountForm email={user.email} />
      </section>
    </div>
  );
}
