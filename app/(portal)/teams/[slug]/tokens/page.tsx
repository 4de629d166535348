import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { TokensPanel } from "@/components/tokens/tokens-panel";
import { getCurrentUser } from "@/lib/auth/current-user";
import { teamCan } from "@/lib/teams/roles";
import { myTeamBySlug } from "@/lib/teams/teams";
import { listTokens } from "@/lib/tokens/manage-tokens";
import { tokenOptions } from "@/lib/tokens/token-options";

export const metadata: Metadata = { title: "Team API tokens" };

/** A team's API tokens, for its owners and admins: the team's service account for its automation. */
export default async function TeamTokensPage({ params }: PageProps<"/teams/[slug]/tokens">) {
  const user = await getCurrentUser();
  const { slug } = await params;
  if (!user) redirect(`/sign-in?callbackUrl=${encodeURIComponent(`/teams/${slug}/tokens`)}`);
  const team = await myTeamBySlug(user.id, slug);
  if (!team || !teamCan(team.role, "manage-tokens")) notFound();
  const tokens = await listTokens({ user, token: null }, { team: team.id });
  return (
    <div className="space-y-4">
      <p className="text-sm text-zinc-500 dark:text-zinc-400">
        <Link href={`/teams/${team.slug}`} className="underline-offset-2 hover:underline">
          {team.name}
        </Link>{" "}
        /
      </p>
      <h1 className="text-2xl font-semibold tracking-tight">API tokens</h1>
      <p className="max-w-2xl text-sm text-zinc-600 dark:text-zinc-400">
        A team token acts for the team alone, as an admin of it would (never as an owner), within its scopes: for the
        team&apos;s CI jobs and services. It works while the person who made it is an owner or admin of the team; if
        they leave or are demoted, it stops, and you make a new one.
      </p>
      <TokensPanel
        tokens={tokens}
        options={tokenOptions({ type: "team" })}
        teamId={team.id}
        now={new Date().toISOString()}
      />
    </div>
  );
}
