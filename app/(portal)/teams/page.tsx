import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { CreateTeamForm } from "@/components/teams/create-team-form";
import { Badge } from "@/components/ui/badge";
import { getCurrentUser } from "@/lib/auth/current-user";
import { listMyTeams } from "@/lib/teams/teams";

export const metadata: Metadata = { title: "Teams" };

export default async function TeamsPage() {
  const user = await getCurrentUser();
  if (!user) redirect("/sign-in?callbackUrl=/teams");
  const teams = (await listMyTeams(user.id)).sort((a, b) => a.name.localeCompare(b.name));
  return (
    <div className="space-y-8">
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold tracking-tight">Teams</h1>
        <p className="max-w-2xl text-sm text-zinc-600 dark:text-zinc-400">
          A team owns keys together: they keep working when the person who issued them leaves. Pick a team in the
          header’s switcher to see and issue its keys.
        </p>
      </div>
      {teams.length ? (
        <ul
          className="divide-y divide-zinc-200 rounded-xl bg-white shadow-sm ring-1 ring-zinc-200 dark:divide-zinc-800 dark:bg-zinc-900 dark:ring-zinc-800"
          aria-label="Your teams"
        >
          {teams.map((team) => (
            <li key={team.id} className="flex flex-wrap items-center justify-between gap-3 px-4 py-3">
              <div className="min-w-0">
                <Link
                  href={`/teams/${team.slug}`}
                  className="font-medium text-indigo-600 underline-offset-2 hover:underline dark:text-indigo-400"
                >
                  {team.name}
                </Link>
                <p className="text-xs text-zinc-500 dark:text-zinc-400">
                  {team.members} {team.members === 1 ? "member" : "members"} · {team.activeKeys} working{" "}
                  {team.activeKeys === 1 ? "key" : "keys"}
                </p>
              </div>
              {team.role ? (
                <Badge tone={team.role === "OWNER" ? "blue" : team.role === "ADMIN" ? "amber" : "gray"}>
                  {team.role.toLowerCase()}
                </Badge>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          You are not in a team yet. Create one, or ask a team’s admin to invite you.
        </p>
      )}
      <section aria-labelledby="create-team" className="max-w-md space-y-4">
        <h2 id="create-team" className="text-lg font-semibold">
          Create a team
        </h2>
        <CreateTeamForm canCreate={user.emailVerified} />
      </section>
    </div>
  );
}
