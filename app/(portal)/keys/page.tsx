import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { IssueKeyForm } from "@/components/keys/issue-key-form";
import { RevokeButton } from "@/components/keys/revoke-button";
import { StatusBadge } from "@/components/keys/status-badge";
import { getCurrentUser } from "@/lib/auth/current-user";
import { issueOptions } from "@/lib/keys/issue-options";
import { KEY_TABS, listKeys, type KeyTab } from "@/lib/keys/list-keys";

export const metadata: Metadata = { title: "My keys" };

const TAB_LABEL: Record<KeyTab, string> = { active: "Active", expiring: "Expiring soon", blacklisted: "Blacklisted", all: "All" };

export default async function KeysPage({ searchParams }: PageProps<"/keys">) {
  const user = await getCurrentUser();
  if (!user) redirect("/sign-in?callbackUrl=/keys");
  const params = await searchParams;
  const tab = (KEY_TABS as readonly string[]).includes(String(params.tab)) ? (params.tab as KeyTab) : "active";
  const page = await listKeys({ ownerId: user.id }, { tab, pageSize: 100 });
  return (
    <div className="grid gap-8 lg:grid-cols-[1fr_320px]">
      <section aria-labelledby="keys-heading">
        <h1 id="keys-heading" className="text-2xl font-semibold tracking-tight">
          My keys
        </h1>
        <nav aria-label="Key tabs" className="mt-4 flex gap-1 border-b border-zinc-200 dark:border-zinc-800">
          {KEY_TABS.filter((t) => t !== "all").map((t) => (
            <Link
              key={t}
              href={`/keys?tab=${t}`}
              aria-current={t === tab ? "page" : undefined}
              className={`-mb-px border-b-2 px-3 py-2 text-sm ${t === tab ? "border-indigo-600 font-semibold" : "border-transparent text-zinc-500"}`}
            >
              {TAB_LABEL[t]}
            </Link>
          ))}
        </nav>
        {page.items.length === 0 ? (
          <p className="mt-6 text-sm text-zinc-500">No keys here yet.</p>
        ) : (
          <table className="mt-4 w-full text-left text-sm">
            <thead className="text-xs uppercase text-zinc-500">
              <tr>
                <th className="py-2">Name</th>
                <th>Key</th>
                <th>Expires</th>
                <th>Status</th>
                <th className="sr-only">Actions</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
              {page.items.map((key) => (
                <tr key={key.id} data-testid="key-row">
                  <td className="py-2 font-medium">{key.name}</td>
                  <td className="font-mono text-xs">{key.masked}</td>
                  <td>{key.expiresAt ? new Date(key.expiresAt).toUTCString() : "never"}</td>
                  <td>
                    <StatusBadge keyView={key} />
                  </td>
                  <td className="text-right">
                    {key.status === "ACTIVE" || key.status === "EXPIRING" || key.status === "GRACE" ? (
                      <RevokeButton keyId={key.id} keyName={key.name} />
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <aside className="rounded-xl bg-white p-5 shadow-sm ring-1 ring-zinc-200 dark:bg-zinc-900 dark:ring-zinc-800">
        <h2 className="mb-4 font-semibold">Issue a key</h2>
        <IssueKeyForm options={issueOptions()} />
      </aside>
    </div>
  );
}
