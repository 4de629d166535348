"use client";
import { createColumnHelper } from "@tanstack/react-table";
import Link from "next/link";
import { useMemo } from "react";
import { Badge } from "@/components/ui/badge";
import { DataTable, dataTableFeatures } from "@/components/ui/data-table";
import { RelativeTime } from "@/components/ui/relative-time";
import type { WebhookEndpointView } from "@/lib/webhooks/endpoints";

const column = createColumnHelper<typeof dataTableFeatures, WebhookEndpointView>();

export function EndpointStatus({ endpoint }: { endpoint: Pick<WebhookEndpointView, "enabled" | "failingSince"> }) {
  if (!endpoint.enabled) return <Badge tone="red">disabled</Badge>;
  if (endpoint.failingSince) return <Badge tone="amber">failing</Badge>;
  return <Badge tone="green">active</Badge>;
}

export function WebhooksTable({
  rows,
  now,
  empty,
}: {
  rows: WebhookEndpointView[];
  now: string;
  empty: React.ReactNode;
}) {
  const at = useMemo(() => new Date(now), [now]);
  const columns = useMemo(
    () =>
      column.columns([
        column.display({
          id: "url",
          header: "Endpoint",
          cell: ({ row }) => (
            <span className="flex flex-col">
              <Link
                href={`/webhooks/${row.original.id}`}
                className="break-all font-medium text-indigo-700 hover:underline dark:text-indigo-300"
              >
                {row.original.url}
              </Link>
              {row.original.description ? (
                <span className="text-xs text-zinc-500">{row.original.description}</span>
              ) : null}
            </span>
          ),
        }),
        column.display({
          id: "events",
          header: "Events",
          cell: ({ row }) => (
            <span className="flex max-w-72 flex-wrap gap-1">
              {row.original.eventTypes.map((t) => (
                <Badge key={t}>{t}</Badge>
              ))}
            </span>
          ),
        }),
        column.display({
          id: "status",
          header: "Status",
          cell: ({ row }) => <EndpointStatus endpoint={row.original} />,
        }),
        column.display({
          id: "last",
          header: "Last delivery",
          cell: ({ row }) =>
            row.original.lastDelivery ? (
              <span className="flex flex-col text-xs">
                <span>
                  {row.original.lastDelivery.status.toLowerCase()}
                  {row.original.lastDelivery.responseStatus ? ` (${row.original.lastDelivery.responseStatus})` : ""}
                </span>
                <RelativeTime iso={row.original.lastDelivery.at} now={at} />
              </span>
            ) : (
              <span className="text-zinc-400">none yet</span>
            ),
        }),
      ]),
    [at],
  );
  return (
    <DataTable
      caption="Webhook endpoints"
      columns={columns}
      rows={rows}
      sort={null}
      page={null}
      rowTestId="webhook-row"
      empty={empty}
    />
  );
}
