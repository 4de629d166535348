"use client";
import { createColumnHelper } from "@tanstack/react-table";
import Link from "next/link";
import { useMemo } from "react";
import { Badge } from "@/components/ui/badge";
import { DataTable, type DataTablePage, dataTableFeatures } from "@/components/ui/data-table";
import type { AuditEventView } from "@/lib/audit/list-audit";
import { RelativeTime } from "@/components/ui/relative-time";

const column = createColumnHelper<typeof dataTableFeatures, AuditEventView>();

interface Props {
  rows: AuditEventView[];
  page: DataTablePage;
  /** When the server rendered the page (ISO): relative times read the same on both sides. */
  now: string;
  actionLabels: Record<string, string>;
  /** The log page the key links narrow (the admin log, or a team's). */
  basePath?: string;
}

/** The audit trail, newest first; the order is fixed, so no column sorts. */
export function AuditTable({ rows, page, now, actionLabels, basePath = "/admin/audit" }: Props) {
  const at = useMemo(() => new Date(now), [now]);
  const columns = useMemo(
    () =>
      column.columns([
        column.display({
          id: "at",
          header: "Time",
          cell: ({ row }) => <RelativeTime iso={row.original.at} now={at} />,
        }),
        column.display({
          id: "actor",
          header: "Actor",
          cell: ({ row }) => <span className="whitespace-nowrap">{row.original.actorLabel}</span>,
        }),
        column.display({
          id: "action",
          header: "Action",
          cell: ({ row }) => (
            <Badge
              tone={row.original.action === "key.blacklisted" || row.original.action === "key.revoked" ? "red" : "blue"}
              title={row.original.action}
            >
              {actionLabels[row.original.action] ?? row.original.action}
            </Badge>
          ),
        }),
        column.display({
          id: "key",
          header: "Key",
          cell: ({ row }) => {
            const keyId = row.original.keyId;
            if (!keyId) return <span className="text-zinc-400">—</span>;
            // The trail outlives purged keys, so the link narrows the log rather than opening the key.
            return (
              <Link
                href={`${basePath}?key=${encodeURIComponent(keyId)}`}
                title={keyId}
                aria-label={`Show all events of key ${keyId}`}
                className="font-mono text-xs text-indigo-600 underline-offset-2 hover:underline dark:text-indigo-400"
              >
                {keyId.slice(0, 8)}
              </Link>
            );
          },
        }),
        column.display({
          id: "ip",
          header: "IP",
          cell: ({ row }) => <span className="font-mono text-xs">{row.original.ip ?? "—"}</span>,
        }),
        column.display({
          id: "detail",
          header: "Detail",
          cell: ({ row }) => (
            <span
              className="block min-w-48 max-w-md break-words text-xs text-zinc-600 dark:text-zinc-400"
              title={JSON.stringify(row.original.detail)}
            >
              {describeDetail(row.original.detail)}
            </span>
          ),
        }),
      ]),
    [at, actionLabels, basePath],
  );
  return (
    <DataTable
      columns={columns}
      rows={rows}
      sort={null}
      page={page}
      caption="Audit log, newest first"
      rowTestId="audit-row"
      empty={<p className="text-zinc-500 dark:text-zinc-400">No events match these filters.</p>}
    />
  );
}

/** `reason: LEAKED · note: found in a gist`: readable for the flat objects recordAudit writes. */
function describeDetail(detail: AuditEventView["detail"]): string {
  if (detail === null) return "—";
  if (typeof detail !== "object" || Array.isArray(detail)) return JSON.stringify(detail);
  return Object.entries(detail)
    .map(([name, value]) => `${name}: ${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join(" · ");
}
