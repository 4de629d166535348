import Link from "next/link";
import { notFound } from "next/navigation";
import { AuditExport } from "@/components/admin/audit-export";
import { AuditFilters } from "@/components/admin/audit-filters";
import { AuditTable } from "@/components/admin/audit-table";
import { parseSearchParams } from "@/lib/api/parse-search-params";
import { AUDIT_ACTION_LABELS, listAudit, ZListAuditQuery } from "@/lib/audit/list-audit";
import { getCurrentUser } from "@/lib/auth/current-user";
import { adminTitle } from "../admin-title";

export const generateMetadata = adminTitle("Audit log");

export default async function AdminAuditPage({ searchParams }: PageProps<"/admin/audit">) {
  // The admin layout is not re-run on client navigation between admin pages: each page checks too.
  if ((await getCurrentUser())?.role !== "ADMIN") notFound();
  const query = parseSearchParams(ZListAuditQuery, await searchParams);
  const events = await listAudit(query);
  const filtered = Boolean(query.actor || query.action || query.key);
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold tracking-tight">Audit log</h1>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Every change to a key or account: who, what, from where, newest first.
      </p>
      <div className="flex flex-wrap items-center gap-3">
        <AuditFilters actions={Object.entries(AUDIT_ACTION_LABELS).map(([value, label]) => ({ value, label }))} />
        {filtered ? (
          <Link
            href="/admin/audit"
            className="text-sm text-indigo-600 underline-offset-2 hover:underline dark:text-indigo-400"
          >
            Clear filters
          </Link>
        ) : null}
      </div>
      <details className="rounded-md border border-zinc-200 p-3 dark:border-zinc-800">
        <summary className="cursor-pointer text-sm font-medium">
          Export{filtered ? " (with these filters)" : ""}
        </summary>
        <div className="mt-3 space-y-2">
          <p className="text-xs text-zinc-500 dark:text-zinc-400">
            Oldest first, streamed: the whole log downloads however large it is. Dates are UTC. The key filter does not
            apply.
          </p>
          <AuditExport actor={query.actor} action={query.action} />
        </div>
      </details>
      <AuditTable rows={events.items} page={events} now={new Date().toISOString()} actionLabels={AUDIT_ACTION_LABELS} />
    </div>
  );
}
