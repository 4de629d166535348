import { notFound } from "next/navigation";
import { AdminKeysTable } from "@/components/admin/admin-keys-table";
import { BlacklistKeyForm } from "@/components/admin/blacklist-key-form";
import { BlacklistTargetProvider } from "@/components/admin/blacklist-target";
import { KeyTabs, type TabSpec } from "@/components/keys/key-tabs";
import { SweepHealthAlert } from "@/components/admin/sweep-health-alert";
import { ExpiryTimeline } from "@/components/keys/expiry-timeline";
import { DataTableSearch } from "@/components/ui/data-table";
import { getCurrentUser } from "@/lib/auth/current-user";
import { expiringWindowDays } from "@/lib/keys/expiring-soon";
import { expiryTimeline } from "@/lib/keys/read/expiry-timeline";
import { parseSearchParams } from "@/lib/api/parse-search-params";
import { listKeys, ownerFilterLabel, ZAdminKeysQuery } from "@/lib/keys/read/list-keys";
import { UrlSelectFilter } from "@/components/ui/url-select-filter";
import Link from "next/link";
import { sweepHealth } from "@/lib/sweep/sweep-health";
import { adminTitle } from "../admin-title";

export const generateMetadata = adminTitle("All keys");

// All first: an admin hunting a leaked key should find it in any state.
const ADMIN_TABS = [
  { tab: "all", label: "All" },
  { tab: "active", label: "Active" },
  { tab: "expiring", label: "Expiring soon" },
  { tab: "blacklisted", label: "Blacklisted" },
] as const satisfies TabSpec[];

export default async function AdminKeysPage({ searchParams }: PageProps<"/admin/keys">) {
  // The admin layout is not re-run on client navigation between admin pages: each page checks too.
  if ((await getCurrentUser())?.role !== "ADMIN") notFound();
  const query = parseSearchParams(ZAdminKeysQuery, await searchParams);
  const now = new Date();
  const [keys, timeline, health, filteredTo] = await Promise.all([
    listKeys({ admin: true }, query),
    expiryTimeline({ all: true }),
    sweepHealth(now),
    ownerFilterLabel(query.user, query.team),
  ]);
  return (
    <BlacklistTargetProvider>
      <div className="space-y-6">
        <h1 className="text-2xl font-semibold tracking-tight">All keys</h1>
        <SweepHealthAlert health={health} now={now} compact />
        <div className="grid gap-6 md:grid-cols-2">
          <section
            aria-labelledby="blacklist-heading"
            className="rounded-xl bg-white p-5 shadow-sm ring-1 ring-zinc-200 dark:bg-zinc-900 dark:ring-zinc-800"
          >
            <h2 id="blacklist-heading" className="mb-4 font-semibold">
              Blacklist a leaked key
            </h2>
            <BlacklistKeyForm />
          </section>
          <ExpiryTimeline
            data={timeline}
            windowDays={expiringWindowDays()}
            title="All users’ keys expiring in 90 days"
          />
        </div>
        <section aria-labelledby="keys-heading" className="space-y-3">
          <h2 id="keys-heading" className="sr-only">
            Keys
          </h2>
          <div className="border-b border-zinc-200 dark:border-zinc-800">
            <KeyTabs
              basePath="/admin/keys"
              tabs={ADMIN_TABS}
              current={query.tab}
              keep={{
                q: query.q,
                sort: query.sort,
                dir: query.dir,
                ownerType: query.ownerType,
                user: query.user,
                team: query.team,
              }}
            />
          </div>
          <div className="flex flex-wrap items-center gap-3">
            <DataTableSearch label="Search keys" placeholder="Owner email, team, name or key prefix…" />
            <UrlSelectFilter
              param="ownerType"
              label="Filter by owner"
              allLabel="Any owner"
              options={[
                { value: "user", label: "People’s keys" },
                { value: "team", label: "Teams’ keys" },
              ]}
            />
          </div>
          {filteredTo ? (
            <p className="text-sm text-zinc-600 dark:text-zinc-300" data-testid="owner-filter">
              Only the keys of {filteredTo}.{" "}
              <Link href="/admin/keys" className="text-indigo-600 hover:underline dark:text-indigo-400">
                Show every key
              </Link>
            </p>
          ) : null}
          <AdminKeysTable
            rows={keys.items}
            page={keys}
            sort={{ id: query.sort, desc: query.dir === "desc" }}
            now={now.toISOString()}
          />
        </section>
      </div>
    </BlacklistTargetProvider>
  );
}
