"use client";
import { createColumnHelper } from "@tanstack/react-table";
import { useMemo } from "react";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { DataTable, type DataTablePage, dataTableFeatures } from "@/components/ui/data-table";
import { RelativeTime } from "@/components/ui/relative-time";
import type { OutboxRow } from "@/lib/notify/list-outbox";

const column = createColumnHelper<typeof dataTableFeatures, OutboxRow>();

const STATUS_TONE: Record<string, BadgeTone> = {
  SENT: "green",
  STORED: "blue",
  PENDING: "gray",
  SENDING: "amber",
  FAILED: "red",
};

/** Emails, newest first, with what happened to each; the body opens in place. */
export function OutboxTable({ rows, page, now }: { rows: OutboxRow[]; page: DataTablePage; now: string }) {
  const at = useMemo(() => new Date(now), [now]);
  const columns = useMemo(
    () =>
      column.columns([
        column.display({
          id: "createdAt",
          header: "Queued",
          cell: ({ row }) => <RelativeTime iso={row.original.createdAt} now={at} />,
        }),
        column.display({
          id: "to",
          header: "To",
          cell: ({ row }) => <span className="whitespace-nowrap">{row.original.to}</span>,
        }),
        column.display({
          id: "subject",
          header: "Message",
          cell: ({ row }) =>
            row.original.text ? (
              <details className="max-w-md">
                <summary className="cursor-pointer">{row.original.subject}</summary>
                <pre className="mt-2 whitespace-pre-wrap text-xs text-zinc-600 dark:text-zinc-400">
                  {row.original.text}
                </pre>
              </details>
            ) : (
              <span className="text-zinc-400">not rendered yet</span>
            ),
        }),
        column.display({
          id: "status",
          header: "Status",
          cell: ({ row }) => (
            <span className="flex flex-col items-start gap-0.5">
              <Badge tone={STATUS_TONE[row.original.status] ?? "gray"}>
                {row.original.status === "STORED" ? "outbox" : row.original.status.toLowerCase()}
              </Badge>
              {row.original.lastError ? (
                <span className="max-w-64 text-xs text-red-600 dark:text-red-400">{row.original.lastError}</span>
              ) : null}
            </span>
          ),
        }),
        column.display({
          id: "attempts",
          header: "Attempts",
          cell: ({ row }) => <span className="tabular-nums">{row.original.attempts}</span>,
        }),
        column.display({
          id: "sentAt",
          header: "Delivered",
          cell: ({ row }) =>
            row.original.sentAt ? (
              <RelativeTime iso={row.original.sentAt} now={at} />
            ) : (
              <span className="text-zinc-400">—</span>
            ),
        }),
      ]),
    [at],
  );
  return (
    <DataTable
      caption="Emails"
      columns={columns}
      rows={rows}
      sort={null}
      page={page}
      rowTestId="outbox-row"
      empty={<p>No emails yet. The sweep writes one per owner when reminders or notices are due.</p>}
    />
  );
}
