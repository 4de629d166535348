import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { MarkReadButton } from "@/components/notify/mark-read-button";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { getCurrentUser } from "@/lib/auth/current-user";
import { formatExact, formatRelative } from "@/lib/format/time";
import { getPreferences } from "@/lib/notify/preferences";
import { listNotifications, ZListNotificationsQuery } from "@/lib/notify/notifications";
import { parseSearchParams } from "@/lib/api/parse-search-params";

export const metadata: Metadata = { title: "Notifications" };

const KIND: Record<string, { label: string; tone: BadgeTone }> = {
  REMINDER: { label: "reminder", tone: "amber" },
  EXPIRED: { label: "expired", tone: "red" },
  BLACKLISTED: { label: "blacklisted", tone: "red" },
  GRACE_ENDED: { label: "grace ended", tone: "gray" },
};

export default async function NotificationsPage({ searchParams }: PageProps<"/notifications">) {
  const user = await getCurrentUser();
  if (!user) redirect("/sign-in?callbackUrl=/notifications");
  // Through the API's own query schema: a hand-edited ?page=1e12 falls back, never reaches a query.
  const query = parseSearchParams(ZListNotificationsQuery, await searchParams);
  const unreadOnly = query.unread === "true";
  const page = query.page;
  const { timeZone } = await getPreferences(user.id);
  const list = await listNotifications(user.id, query, timeZone);
  const now = new Date();
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold tracking-tight">Notifications</h1>
        <div className="flex items-center gap-3 text-sm">
          <Link
            href={unreadOnly ? "/notifications" : "/notifications?unread=true"}
            className="text-indigo-700 hover:underline dark:text-indigo-300"
          >
            {unreadOnly ? "Show all" : "Show unread only"}
          </Link>
          <MarkReadButton ids="all" label="Mark all read" />
        </div>
      </div>
      {list.items.length === 0 ? (
        <p className="rounded-xl bg-white p-8 text-center text-sm text-zinc-600 ring-1 ring-zinc-200 dark:bg-zinc-900 dark:text-zinc-400 dark:ring-zinc-800">
          {unreadOnly
            ? "Nothing unread."
            : "No notifications yet. Reminders arrive here (and by email) before your keys expire."}
        </p>
      ) : (
        <ul className="divide-y divide-zinc-200 overflow-hidden rounded-xl bg-white ring-1 ring-zinc-200 dark:divide-zinc-800 dark:bg-zinc-900 dark:ring-zinc-800">
          {list.items.map((n) => (
            <li
              key={n.id}
              data-testid="notification"
              className={`flex items-start gap-3 p-4 ${n.read ? "opacity-70" : ""}`}
            >
              <span
                aria-hidden
                className={`mt-1.5 h-2 w-2 shrink-0 rounded-full ${n.read ? "bg-transparent" : "bg-indigo-500"}`}
              />
              <div className="min-w-0 flex-1">
                <p className="flex flex-wrap items-center gap-2 text-sm font-medium">
                  {n.title} <Badge tone={KIND[n.kind]?.tone ?? "gray"}>{KIND[n.kind]?.label ?? n.kind}</Badge>
                  {n.read ? null : <span className="sr-only">(unread)</span>}
                </p>
                <p className="mt-0.5 text-sm text-zinc-700 dark:text-zinc-300">{n.body}</p>
                <p className="mt-1 flex flex-wrap gap-3 text-xs text-zinc-500">
                  <span title={formatExact(n.createdAt)}>{formatRelative(n.createdAt, now)}</span>
                  {n.link ? (
                    <Link href={n.link} className="text-indigo-700 hover:underline dark:text-indigo-300">
                      {n.link.endsWith("?renew=1") ? "Renew" : n.link.startsWith("/keys/") ? "View key" : "Open"}
                    </Link>
                  ) : null}
                </p>
              </div>
              {n.read ? null : <MarkReadButton ids={[n.id]} label="Mark read" />}
            </li>
          ))}
        </ul>
      )}
      <nav aria-label="Pagination" className="flex justify-between text-sm">
        {page > 1 ? (
          <Link
            href={`/notifications?${new URLSearchParams({ ...(unreadOnly ? { unread: "true" } : {}), page: String(page - 1) })}`}
          >
            ← Newer
          </Link>
        ) : (
          <span />
        )}
        {list.hasNext ? (
          <Link
            href={`/notifications?${new URLSearchParams({ ...(unreadOnly ? { unread: "true" } : {}), page: String(page + 1) })}`}
          >
            Older →
          </Link>
        ) : null}
      </nav>
    </div>
  );
}
