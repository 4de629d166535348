// The admin usage page's lists: keys by traffic or refusals, and working keys nobody uses.
import Link from "next/link";
import type { ReactNode } from "react";
import { StatusBadge } from "@/components/keys/status-badge";
import { OUTCOME_STYLE } from "@/components/usage/outcome-style";
import { RelativeTime } from "@/components/ui/relative-time";
import type { KeyView } from "@/lib/keys/read/key-view";
import type { KeyTraffic, UnusedKey } from "@/lib/usage/admin-usage";
import { USAGE_OUTCOMES } from "@/lib/usage/usage-outcomes";

const n = (v: number) => v.toLocaleString("en");

function KeyCell({ keyView }: { keyView: KeyView }) {
  return (
    <div className="flex flex-col">
      <Link
        href={`/admin/keys?tab=all&q=${encodeURIComponent(keyView.prefix)}`}
        className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
      >
        {keyView.name}
      </Link>
      <code className="font-mono text-xs text-zinc-500">{keyView.masked}</code>
    </div>
  );
}

const ownerLabel = (k: KeyView) => (k.owner.type === "team" ? `Team ${k.owner.name}` : (k.owner.email ?? k.owner.name));

function Frame({ caption, testId, children }: { caption: string; testId: string; children: ReactNode }) {
  return (
    <div className="overflow-x-auto rounded-xl bg-white shadow-sm ring-1 ring-zinc-200 dark:bg-zinc-900 dark:ring-zinc-800">
      <table className="w-full text-left text-sm" data-testid={testId}>
        <caption className="sr-only">{caption}</caption>
        {children}
      </table>
    </div>
  );
}

const th = "px-3 py-2 text-xs font-medium uppercase tracking-wide text-zinc-500";
const td = "px-3 py-2 align-top";

/** The outcomes that refused the key, largest first: what the key keeps running into. */
function refusalsOf(t: KeyTraffic): string {
  return USAGE_OUTCOMES.filter((o) => o !== "VALID" && t.counts[o] > 0)
    .sort((a, b) => t.counts[b] - t.counts[a])
    .map((o) => `${OUTCOME_STYLE[o].label.toLowerCase()} ${n(t.counts[o])}`)
    .join(", ");
}

export function TrafficTable({
  rows,
  caption,
  testId,
  empty,
}: {
  rows: KeyTraffic[];
  caption: string;
  testId: string;
  empty: string;
}) {
  if (rows.length === 0) return <p className="text-sm text-zinc-500 dark:text-zinc-400">{empty}</p>;
  return (
    <Frame caption={caption} testId={testId}>
      <thead className="border-b border-zinc-200 dark:border-zinc-800">
        <tr>
          <th className={th}>Key</th>
          <th className={th}>Owner</th>
          <th className={th}>Status</th>
          <th className={`${th} text-right`}>Answers</th>
          <th className={`${th} text-right`}>Valid</th>
          <th className={`${th} text-right`}>Refused</th>
          <th className={th}>Refusals</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
        {rows.map((t) => (
          <tr key={t.key.id} data-testid="usage-row">
            <td className={td}>
              <KeyCell keyView={t.key} />
            </td>
            <td className={td}>{ownerLabel(t.key)}</td>
            <td className={td}>
              <StatusBadge keyView={t.key} />
            </td>
            <td className={`${td} text-right tabular-nums`}>{n(t.total)}</td>
            <td className={`${td} text-right tabular-nums`}>{n(t.valid)}</td>
            <td className={`${td} text-right tabular-nums`}>{n(t.refused)}</td>
            <td className={`${td} text-xs text-zinc-600 dark:text-zinc-400`}>{refusalsOf(t) || "—"}</td>
          </tr>
        ))}
      </tbody>
    </Frame>
  );
}

export function UnusedTable({ rows, now }: { rows: UnusedKey[]; now: Date }) {
  return (
    <Frame caption="Working keys nobody has used" testId="unused-keys">
      <thead className="border-b border-zinc-200 dark:border-zinc-800">
        <tr>
          <th className={th}>Key</th>
          <th className={th}>Owner</th>
          <th className={th}>Created</th>
          <th className={th}>Last used</th>
          <th className={`${th} text-right`}>Idle days</th>
          <th className={th}>Expires</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
        {rows.map((u) => (
          <tr key={u.key.id} data-testid="unused-row">
            <td className={td}>
              <KeyCell keyView={u.key} />
            </td>
            <td className={td}>{ownerLabel(u.key)}</td>
            <td className={td}>
              <RelativeTime iso={u.key.createdAt} now={now} />
            </td>
            <td className={td}>
              {u.key.lastUsedAt ? (
                <RelativeTime iso={u.key.lastUsedAt} now={now} />
              ) : (
                <span className="text-zinc-400">never</span>
              )}
            </td>
            <td className={`${td} text-right tabular-nums`}>{n(u.idleDays)}</td>
            <td className={td}>{u.key.expiresAt ? <RelativeTime iso={u.key.expiresAt} now={now} /> : "never"}</td>
          </tr>
        ))}
      </tbody>
    </Frame>
  );
}
