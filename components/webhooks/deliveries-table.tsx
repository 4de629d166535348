"use client";
import { createColumnHelper } from "@tanstack/react-table";
import { useRouter } from "next/navigation";
import { useCallback, useMemo, useState } from "react";
import { ApiError, callApi } from "@/components/keys/api-client";
import { Alert } from "@/components/ui/alert";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { DataTable, type DataTablePage, dataTableFeatures } from "@/components/ui/data-table";
import { RelativeTime } from "@/components/ui/relative-time";
import type { WebhookDeliveryView } from "@/lib/webhooks/deliveries";

const column = createColumnHelper<typeof dataTableFeatures, WebhookDeliveryView>();
const TONE: Record<string, BadgeTone> = {
  SUCCEEDED: "green",
  PENDING: "gray",
  SENDING: "blue",
  FAILED: "amber",
  GAVE_UP: "red",
};
const LABEL: Record<string, string> = {
  SUCCEEDED: "delivered",
  PENDING: "pending",
  SENDING: "sending",
  FAILED: "failed, will retry",
  GAVE_UP: "gave up",
};

/** What happened to each event sent to one endpoint, with a way to send one again. */
export function DeliveriesTable({
  endpointId,
  rows,
  page,
  now,
}: {
  endpointId: string;
  rows: WebhookDeliveryView[];
  page: DataTablePage;
  now: string;
}) {
  const router = useRouter();
  const at = useMemo(() => new Date(now), [now]);
  const [status, setStatus] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const redeliver = useCallback(
    async (id: string) => {
      setStatus(null);
      try {
        await callApi("POST", `/api/v1/webhooks/${endpointId}/deliveries/${id}/redeliver`);
        setStatus({ tone: "success", text: "Queued: it goes out within seconds." });
        router.refresh();
      } catch (e) {
        setStatus({ tone: "error", text: e instanceof ApiError ? e.message : "Could not queue it." });
      }
    },
    [endpointId, router],
  );

  const columns = useMemo(
    () =>
      column.columns([
        column.display({
          id: "createdAt",
          header: "Event",
          cell: ({ row }) => (
            <span className="flex flex-col">
              <code className="font-mono text-xs">{row.original.eventType}</code>
              <RelativeTime iso={row.original.createdAt} now={at} />
            </span>
          ),
        }),
        column.display({
          id: "status",
          header: "Status",
          cell: ({ row }) => (
            <span className="flex flex-col items-start gap-0.5">
              <Badge tone={TONE[row.original.status] ?? "gray"}>
                {LABEL[row.original.status] ?? row.original.status}
              </Badge>
              {row.original.lastError ? (
                <span className="max-w-72 break-words text-xs text-red-600 dark:text-red-400">
                  {row.original.lastError}
                </span>
              ) : null}
            </span>
          ),
        }),
        column.display({
          id: "response",
          header: "Response",
          cell: ({ row }) => <span className="tabular-nums">{row.original.responseStatus ?? "—"}</span>,
        }),
        column.display({
          id: "attempts",
          header: "Attempts",
          cell: ({ row }) => <span className="tabular-nums">{row.original.attempts}</span>,
        }),
        column.display({
          id: "next",
          header: "Next retry",
          cell: ({ row }) =>
            row.original.nextAttemptAt ? (
              <RelativeTime iso={row.original.nextAttemptAt} now={at} />
            ) : (
              <span className="text-zinc-400">—</span>
            ),
        }),
        column.display({
          id: "actions",
          header: () => <span className="sr-only">Actions</span>,
          cell: ({ row }) =>
            row.original.eventId && row.original.status !== "SENDING" ? (
              <Button variant="secondary" onClick={() => redeliver(row.original.id)}>
                Redeliver
              </Button>
            ) : null,
        }),
      ]),
    [at, redeliver],
  );
  return (
    <div className="space-y-3">
      {status ? <Alert tone={status.tone}>{status.text}</Alert> : null}
      <DataTable
        caption="Deliveries"
        columns={columns}
        rows={rows}
        sort={null}
        page={page}
        rowTestId="delivery-row"
        empty={<p>Nothing sent yet. Send a test event, or wait for a key event.</p>}
      />
    </div>
  );
}
