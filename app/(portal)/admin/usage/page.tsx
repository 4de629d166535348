import Link from "next/link";
import { notFound } from "next/navigation";
import { TrafficTable, UnusedTable } from "@/components/admin/usage-tables";
import { UsageChart } from "@/components/usage/usage-chart";
import { parseSearchParams } from "@/lib/api/parse-search-params";
import { getCurrentUser } from "@/lib/auth/current-user";
import { adminUsageOverview, ZAdminUsageQuery } from "@/lib/usage/admin-usage";
import { adminTitle } from "../admin-title";

export const generateMetadata = adminTitle("Usage");

const WINDOWS = [
  { hours: 48, label: "48 hours" },
  { hours: 168, label: "7 days" },
];

export default async function AdminUsagePage({ searchParams }: PageProps<"/admin/usage">) {
  // The admin layout is not re-run on client navigation between admin pages: each page checks too.
  if ((await getCurrentUser())?.role !== "ADMIN") notFound();
  const query = parseSearchParams(ZAdminUsageQuery, await searchParams);
  const now = new Date();
  const usage = await adminUsageOverview(query, now);
  const span = WINDOWS.find((w) => w.hours === usage.hours)?.label ?? `${usage.hours} hours`;
  const link = (params: Record<string, string | number>) =>
    `/admin/usage?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]))}`;
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold tracking-tight">Usage</h1>
        <nav aria-label="Window" className="flex gap-1 text-sm">
          {WINDOWS.map((w) => (
            <Link
              key={w.hours}
              href={link({ hours: w.hours })}
              aria-current={w.hours === usage.hours ? "page" : undefined}
              className={`rounded-md px-3 py-1 ${w.hours === usage.hours ? "bg-indigo-600 text-white" : "text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"}`}
            >
              {w.label}
            </Link>
          ))}
        </nav>
      </div>

      <section
        aria-labelledby="per-hour-heading"
        className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-zinc-200 dark:bg-zinc-900 dark:ring-zinc-800"
      >
        <div className="mb-2 flex flex-wrap items-baseline justify-between gap-2 text-sm">
          <h2 id="per-hour-heading" className="font-semibold">
            Verifications per hour, every key (UTC)
          </h2>
          <span className="text-zinc-500 dark:text-zinc-400" data-testid="usage-window-totals">
            {usage.perHour.totals.all.toLocaleString("en")} answers in the last {span},{" "}
            {usage.perHour.totals.refused.toLocaleString("en")} refused · counted{" "}
            <time dateTime={usage.asOf}>{usage.asOf.slice(11, 19)} UTC</time>
          </span>
        </div>
        <UsageChart series={usage.perHour} title="Verifications per hour" />
      </section>

      <section aria-labelledby="top-heading" className="space-y-2">
        <h2 id="top-heading" className="text-lg font-semibold">
          Top keys by traffic, last {span}
        </h2>
        <TrafficTable
          rows={usage.topKeys}
          caption="Keys with the most answers"
          testId="top-keys"
          empty={`No key was verified in the last ${span}.`}
        />
      </section>

      <section aria-labelledby="refused-heading" className="space-y-2">
        <h2 id="refused-heading" className="text-lg font-semibold">
          Most refused keys, last {span}
        </h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          A refused key that keeps trying is often a leak or a forgotten deployment.
        </p>
        <TrafficTable
          rows={usage.topRefused}
          caption="Keys refused most often"
          testId="top-refused"
          empty={`No key was refused in the last ${span}.`}
        />
      </section>

      <section aria-labelledby="unused-heading" className="space-y-2">
        <h2 id="unused-heading" className="text-lg font-semibold">
          Unused for {usage.unused.days}+ days
        </h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Working keys with no successful verification for {usage.unused.days} days or more (a never-used key counts
          from its creation), oldest first.
        </p>
        {usage.unused.items.length ? (
          <UnusedTable rows={usage.unused.items} now={now} />
        ) : (
          <p className="text-sm text-zinc-500 dark:text-zinc-400">
            {usage.unused.next
              ? `None among the ${usage.unused.scanned.toLocaleString("en")} oldest keys looked at.`
              : "None: every working key has been used recently."}
          </p>
        )}
        {usage.unused.next ? (
          <Link
            href={link({ hours: usage.hours, unusedAfter: usage.unused.next })}
            className="inline-block text-sm text-indigo-700 hover:underline dark:text-indigo-300"
          >
            More unused keys →
          </Link>
        ) : null}
      </section>
    </div>
  );
}
