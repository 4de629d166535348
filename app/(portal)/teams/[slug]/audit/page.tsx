import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { AuditExport } from "@/components/admin/audit-export";
import { AuditFilters } from "@/components/admin/audit-filters";
import { AuditTable } from "@/components/admin/audit-table";
import { parseSearchParams } from "@/lib/api/parse-search-params";
import { AUDIT_ACTION_LABELS, ZListAuditQuery } from "@/lib/audit/list-audit";
import { getCurrentUser } from "@/lib/auth/current-user";
import { teamCan } from "@/lib/teams/roles";
import { teamAudit } from "@/lib/teams/team-audit";
import { myTeamBySlug } from "@/lib/teams/teams";

export const metadata: Metadata = { title: "Team audit log" };

/** The team's own trail, for its owners and admins (site admins read everything at /admin/audit). */
export default async function TeamAuditPage({ params, searchParams }: PageProps<"/teams/[slug]/audit">) {
  const user = await getCurrentUser();
  const { slug } = await params;
  if (!user) redirect(`/sign-in?callbackUrl=${encodeURIComponent(`/teams/${slug}/audit`)}`);
  const team = await myTeamBySlug(user.id, slug);
  if (!team || !teamCan(team.role, "read-audit")) notFound();
  const query = parseSearchParams(ZListAuditQuery, await searchParams);
  const events = await teamAudit(user.id, team.id, query);
  const base = `/teams/${team.slug}/audit`;
  const teamActions = Object.entries(AUDIT_ACTION_LABELS)
    .filter(([value]) => value.startsWith("team.") || value.startsWith("key.") || value.startsWith("webhook."))
    .map(([value, label]) => ({ value, label }));
  return (
    <div className="space-y-4">
      <p className="text-sm text-zinc-500 dark:text-zinc-400">
        <Link href={`/teams/${team.slug}`} className="underline-offset-2 hover:underline">
          {team.name}
        </Link>{" "}
        /
      </p>
      <h1 className="text-2xl font-semibold tracking-tight">Audit log</h1>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Every change to the team, its members and its keys: who, what, from where, newest first.
      </p>
      <div className="flex flex-wrap items-center gap-3">
        <AuditFilters actions={teamActions} />
        {query.actor || query.action || query.key ? (
          <Link href={base} className="text-sm text-indigo-600 underline-offset-2 hover:underline dark:text-indigo-400">
            Clear filters
          </Link>
        ) : null}
      </div>
      {teamCan(team.role, "export-audit") ? (
        <AuditExport actor={query.actor} action={query.action} route={`/api/v1/teams/${team.id}/audit/export`} />
      ) : null}
      <AuditTable
        rows={events.items}
        page={events}
        now={new Date().toISOString()}
        actionLabels={AUDIT_ACTION_LABELS}
        basePath={base}
      />
    </div>
  );
}
