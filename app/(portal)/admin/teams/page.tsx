import Link from "next/link";
import { notFound } from "next/navigation";
import { getCurrentUser } from "@/lib/auth/current-user";
import { listAllTeams } from "@/lib/teams/teams";
import { adminTitle } from "../admin-title";

export const generateMetadata = adminTitle("Teams");

export default async function AdminTeamsPage() {
  // The admin layout is not re-run on client navigation between admin pages: each page checks too.
  if ((await getCurrentUser())?.role !== "ADMIN") notFound();
  const teams = await listAllTeams();
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold tracking-tight">Teams</h1>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Every team, its owners and its working keys. Open a team’s keys to blacklist one.
      </p>
      {teams.length ? (
        <div className="overflow-x-auto rounded-xl bg-white shadow-sm ring-1 ring-zinc-200 dark:bg-zinc-900 dark:ring-zinc-800">
          <table className="min-w-full text-left text-sm">
            <caption className="sr-only">Teams</caption>
            <thead className="border-b border-zinc-200 text-xs uppercase tracking-wide text-zinc-500 dark:border-zinc-800 dark:text-zinc-400">
              <tr>
                <th scope="col" className="px-4 py-2 font-medium">
                  Team
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Owners
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Members
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Working keys
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Created
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
              {teams.map((team) => (
                <tr key={team.id} data-testid="team-row">
                  <td className="px-4 py-2">
                    <span className="font-medium">{team.name}</span>{" "}
                    <span className="font-mono text-xs text-zinc-500">{team.slug}</span>
                  </td>
                  <td className="px-4 py-2 break-all">{team.owners.join(", ")}</td>
                  <td className="px-4 py-2 tabular-nums">{team.members}</td>
                  <td className="px-4 py-2 tabular-nums">
                    <Link
                      href={`/admin/keys?team=${team.id}`}
                      className="text-indigo-600 underline-offset-2 hover:underline dark:text-indigo-400"
                    >
                      {team.activeKeys}
                    </Link>
                  </td>
                  <td className="px-4 py-2 whitespace-nowrap">{team.createdAt.slice(0, 10)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">No teams yet.</p>
      )}
    </div>
  );
}
