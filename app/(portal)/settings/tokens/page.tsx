import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { TokensPanel } from "@/components/tokens/tokens-panel";
import { getCurrentUser } from "@/lib/auth/current-user";
import { listTokens } from "@/lib/tokens/manage-tokens";
import { tokenOptions } from "@/lib/tokens/token-options";

export const metadata: Metadata = { title: "API tokens" };

/** A person's API tokens: what their scripts and CI jobs use instead of a session. */
export default async function TokensPage() {
  const user = await getCurrentUser();
  if (!user) redirect("/sign-in?callbackUrl=/settings/tokens");
  const tokens = await listTokens({ user, token: null }, {});
  return (
    <div className="space-y-4">
      <p className="text-sm text-zinc-500 dark:text-zinc-400">
        <Link href="/settings" className="underline-offset-2 hover:underline">
          Settings
        </Link>{" "}
        /
      </p>
      <h1 className="text-2xl font-semibold tracking-tight">API tokens</h1>
      <p className="max-w-2xl text-sm text-zinc-600 dark:text-zinc-400">
        A token lets a script, a CI job or a service call Keyward&apos;s API as you (
        <code>Authorization: Bearer kwt_…</code>), within its scopes and never beyond what you may do at that moment. A
        token with the <code>verify</code> scope lets a service verify your keys. Tokens expire like keys, get the same
        reminders, and stop working everywhere the moment you revoke them.
      </p>
      <TokensPanel
        tokens={tokens}
        options={tokenOptions({ type: "user", role: user.role })}
        now={new Date().toISOString()}
      />
    </div>
  );
}
