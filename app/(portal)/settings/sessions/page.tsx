import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { SessionsTable } from "@/components/settings/sessions-table";
import { getCurrentUser } from "@/lib/auth/current-user";
import { listSessions } from "@/lib/sessions/manage-sessions";

export const metadata: Metadata = { title: "Sessions" };

/** Every browser signed in to the account, and a way to end any one of them. */
export default async function SessionsPage() {
  const user = await getCurrentUser();
  if (!user) redirect("/sign-in?callbackUrl=/settings/sessions");
  const sessions = await listSessions(user.id, user.sessionId ?? null);
  return (
    <div className="space-y-4">
      <p className="text-sm text-zinc-500 dark:text-zinc-400">
        <Link href="/settings" className="underline-offset-2 hover:underline">
          Settings
        </Link>{" "}
        /
      </p>
      <h1 className="text-2xl font-semibold tracking-tight">Sessions</h1>
      <p className="max-w-2xl text-sm text-zinc-600 dark:text-zinc-400">
        Every browser signed in to your account. Ending a session signs that browser out at its next request. A sign-in
        from a device this account has not used before is emailed to you. Signing out, or changing your password, ends
        them all.
      </p>
      <SessionsTable rows={sessions} now={new Date().toISOString()} endPath="/api/v1/me/sessions" whose="own" />
    </div>
  );
}
