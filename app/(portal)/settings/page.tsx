import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { PreferencesForm } from "@/components/notify/preferences-form";
import { getCurrentUser } from "@/lib/auth/current-user";
import { getPreferences } from "@/lib/notify/preferences";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const user = await getCurrentUser();
  if (!user) redirect("/sign-in?callbackUrl=/settings");
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">Settings</h1>
      <PreferencesForm initial={await getPreferences(user.id)} email={user.email} />
    </div>
  );
}
