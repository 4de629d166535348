import { notFound } from "next/navigation";
import { RelativeTime } from "@/components/ui/relative-time";
import { parseSearchParams } from "@/lib/api/parse-search-params";
import { SweepHealthAlert } from "@/components/admin/sweep-health-alert";
import { SweepsTable } from "@/components/admin/sweeps-table";
import { getCurrentUser } from "@/lib/auth/current-user";
import { env } from "@/lib/env";
import { listSweeps, ZListSweepsQuery } from "@/lib/sweep/list-sweeps";
import { sweepHealth } from "@/lib/sweep/sweep-health";
import { adminTitle } from "../admin-title";

export const generateMetadata = adminTitle("Sweeps");

export default async function AdminSweepsPage({ searchParams }: PageProps<"/admin/sweeps">) {
  // The admin layout is not re-run on client navigation between admin pages: each page checks too.
  if ((await getCurrentUser())?.role !== "ADMIN") notFound();
  const query = parseSearchParams(ZListSweepsQuery, await searchParams);
  const now = new Date();
  const [runs, health] = await Promise.all([listSweeps(query, now), sweepHealth(now)]);
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold tracking-tight">Sweeps</h1>
      {health.stale ? (
        <SweepHealthAlert health={health} now={now} appUrl={env.APP_URL} />
      ) : (
        <p className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="sweep-health">
          Last successful sweep {health.lastSuccessAt ? <RelativeTime iso={health.lastSuccessAt} now={now} /> : null}. A
          warning appears here and on All keys when none succeeds for {health.warnAfterHours} hours.
        </p>
      )}
      <SweepsTable rows={runs.items} page={runs} now={now.toISOString()} />
    </div>
  );
}
