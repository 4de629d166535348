import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { TeamInvitations } from "@/components/teams/team-invitations";
import { TeamMembers } from "@/components/teams/team-members";
import { DeleteTeamForm, RenameTeamForm } from "@/components/teams/team-settings-form";
import { getCurrentUser } from "@/lib/auth/current-user";
import { listInvitations } from "@/lib/teams/invitations";
import { listMembers } from "@/lib/teams/members";
import { teamCan } from "@/lib/teams/roles";
import { myTeamBySlug } from "@/lib/teams/teams";

export const metadata: Metadata = { title: "Team settings" };

const sectionTitle = "text-lg font-semibold";

// A team's settings, for its members: what each sees follows lib/teams/roles.ts, and the API
// checks every change again. Anyone else gets the same 404 as a team that does not exist.
export default async function TeamPage({ params }: PageProps<"/teams/[slug]">) {
  const user = await getCurrentUser();
  const { slug } = await params;
  if (!user) redirect(`/sign-in?callbackUrl=${encodeURIComponent(`/teams/${slug}`)}`);
  const team = await myTeamBySlug(user.id, slug);
  if (!team?.role) notFound();
  const role = team.role;
  const [members, invitations] = await Promise.all([
    listMembers(user.id, team.id),
    teamCan(role, "invite") ? listInvitations(user.id, team.id) : Promise.resolve(null),
  ]);
  return (
    <div className="space-y-10">
      <div className="space-y-1">
        <p className="text-sm text-zinc-500 dark:text-zinc-400">
          <Link href="/teams" className="underline-offset-2 hover:underline">
            Teams
          </Link>{" "}
          /
        </p>
        <h1 className="text-2xl font-semibold tracking-tight">{team.name}</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          You are {role === "MEMBER" ? "a" : "an"} {role.toLowerCase()} · {team.activeKeys} working{" "}
          {team.activeKeys === 1 ? "key" : "keys"}
          {teamCan(role, "read-audit") ? (
            <>
              {" · "}
              <Link
                href={`/teams/${team.slug}/audit`}
                className="text-indigo-600 underline-offset-2 hover:underline dark:text-indigo-400"
              >
                Audit log
              </Link>
            </>
          ) : null}
          {teamCan(role, "manage-tokens") ? (
            <>
              {" · "}
              <Link
                href={`/teams/${team.slug}/tokens`}
                className="text-indigo-600 underline-offset-2 hover:underline dark:text-indigo-400"
              >
                API tokens
              </Link>
            </>
          ) : null}
        </p>
      </div>

      {teamCan(role, "rename") ? (
        <section aria-labelledby="team-name" className="max-w-md space-y-4">
          <h2 id="team-name" className={sectionTitle}>
            Name
          </h2>
          <RenameTeamForm teamId={team.id} name={team.name} />
        </section>
      ) : null}

      <section aria-labelledby="team-members" className="space-y-4">
        <h2 id="team-members" className={sectionTitle}>
          Members
        </h2>
        <TeamMembers
          teamId={team.id}
          me={user.id}
          members={members}
          may={{
            changeRole: teamCan(role, "change-role"),
            removeMembers: teamCan(role, "remove-member"),
            removeOwners: teamCan(role, "remove-owner"),
          }}
        />
      </section>

      {invitations ? (
        <section aria-labelledby="team-invitations" className="space-y-4">
          <h2 id="team-invitations" className={sectionTitle}>
            Invitations
          </h2>
          <TeamInvitations teamId={team.id} invitations={invitations} canInviteOwners={teamCan(role, "invite-owner")} />
        </section>
      ) : null}

      {teamCan(role, "delete-team") ? (
        <section
          aria-labelledby="team-danger"
          className="max-w-2xl space-y-4 rounded-xl p-4 ring-1 ring-red-300 dark:ring-red-900"
        >
          <h2 id="team-danger" className={`${sectionTitle} text-red-700 dark:text-red-400`}>
            Danger zone
          </h2>
          <DeleteTeamForm teamId={team.id} name={team.name} workingKeys={team.activeKeys} />
        </section>
      ) : null}
    </div>
  );
}
