import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { ExpiryTimeline } from "@/components/keys/expiry-timeline";
import { KeyTabs } from "@/components/keys/key-tabs";
import { IssueKeyButton } from "@/components/keys/issue-key-button";
import { KeysTable } from "@/components/keys/keys-table";
import { DataTableSearch } from "@/components/ui/data-table";
import { getCurrentUser } from "@/lib/auth/current-user";
import { expiryTimeline } from "@/lib/keys/read/expiry-timeline";
import { issueOptions } from "@/lib/keys/change/issue-options";
import { expiringWindowDays } from "@/lib/keys/expiring-soon";
import { listKeys, ZMyKeysQuery, type KeyTab, type PersonScope } from "@/lib/keys/read/list-keys";
import { parseSearchParams } from "@/lib/api/parse-search-params";
import { tabCounts } from "@/lib/keys/read/tab-counts";
import { portalContext } from "@/lib/teams/context";
import { keySparklines } from "@/lib/usage/key-sparklines";

export const metadata: Metadata = { title: "My keys" };

const TABS: { tab: KeyTab; label: string; empty: string }[] = [
  { tab: "active", label: "Active", empty: "No active keys. Issue one to let a service call your API." },
  {
    tab: "expiring",
    label: "Expiring soon",
    empty: "Nothing expires soon. Keys show up here inside the first reminder window.",
  },
  { tab: "blacklisted", label: "Blacklisted", empty: "No expired, revoked or leaked keys." },
];

export default async function KeysPage({ searchParams }: PageProps<"/keys">) {
  const user = await getCurrentUser();
  if (!user) redirect("/sign-in?callbackUrl=/keys");
  const { view, ...query } = parseSearchParams(ZMyKeysQuery, await searchParams);
  // The header's context: the person's own keys, or a team's (membership re-checked here); or,
  // with view=responsible (the renewal banner's link), every key they answer for, across both.
  const { context, teams } = await portalContext(user.id);
  const responsible = view === "responsible";
  const owner =
    context.type === "team" ? ({ type: "team", id: context.id } as const) : ({ type: "user", id: user.id } as const);
  const scope: PersonScope = responsible ? { responsible: user.id } : { owner };
  const [page, counts, timeline] = await Promise.all([listKeys(scope, query), tabCounts(scope), expiryTimeline(scope)]);
  // One query for the whole page's sparklines, after the page is known.
  const sparklines = await keySparklines(page.items.map((k) => k.id));
  const current = TABS.find((t) => t.tab === query.tab) ?? TABS[0]!;
  const owners = [
    { value: "", label: "Me (personal)" },
    ...teams.map((t) => ({ value: t.id, label: `Team: ${t.name}` })),
  ];

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">
            {responsible
              ? "Keys you are responsible for"
              : context.type === "team"
                ? `${context.name}’s keys`
                : "My keys"}
          </h1>
          {responsible ? (
            <p className="text-sm text-zinc-500 dark:text-zinc-400">
              Your own keys, every key of the teams you own or administer, and the team keys you issued: the keys the
              renewal banner counts and reminders are about.{" "}
              <Link href="/keys" className="text-indigo-600 hover:underline dark:text-indigo-400">
                {context.type === "team" ? `${context.name}’s keys only` : "My keys only"}
              </Link>
            </p>
          ) : context.type === "team" ? (
            <p className="text-sm text-zinc-500 dark:text-zinc-400">
              Team keys belong to the team: they keep working when the person who issued them leaves. You are{" "}
              {context.role.toLowerCase()}.{" "}
              <a href={`/teams/${context.slug}`} className="text-indigo-600 hover:underline dark:text-indigo-400">
                Team settings
              </a>
            </p>
          ) : null}
        </div>
        <IssueKeyButton
          options={issueOptions()}
          owners={owners}
          defaultOwner={context.type === "team" ? context.id : ""}
        />
      </div>
      <ExpiryTimeline data={timeline} windowDays={expiringWindowDays()} />
      <div className="flex flex-wrap items-end justify-between gap-3 border-b border-zinc-200 dark:border-zinc-800">
        <KeyTabs
          basePath="/keys"
          tabs={TABS.map(({ tab, label }) => ({ tab, label, count: counts[tab] }))}
          current={current.tab}
          keep={{ q: query.q, sort: query.sort, dir: query.dir, view }}
        />
        <div className="pb-2">
          <DataTableSearch label="Filter keys by name or prefix" placeholder="Name or prefix…" />
        </div>
      </div>
      <KeysTable
        keys={page.items}
        showIssuer={responsible || context.type === "team"}
        showOwner={responsible}
        sparklines={sparklines}
        page={page}
        sort={{ id: query.sort, desc: query.dir === "desc" }}
        now={new Date().toISOString()}
        empty={
          <div className="space-y-1">
            <p className="font-medium">{query.q ? `No keys match “${query.q}”.` : current.empty}</p>
            {counts.all === 0 ? <p className="text-zinc-500">Start with “Issue a key” above.</p> : null}
          </div>
        }
      />
    </div>
  );
}
