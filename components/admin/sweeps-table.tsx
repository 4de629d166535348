"use client";
import { createColumnHelper } from "@tanstack/react-table";
import { useMemo } from "react";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { DataTable, type DataTablePage, dataTableFeatures } from "@/components/ui/data-table";
import { COUNTER_NAMES, SWEEP_COUNTERS } from "@/lib/sweep/counters";
import type { SweepBacklogView, SweepRunView } from "@/lib/sweep/list-sweeps";
import { RelativeTime } from "@/components/ui/relative-time";

const column = createColumnHelper<typeof dataTableFeatures, SweepBacklogView>();

const STATUS_TONE: Record<SweepRunView["status"], BadgeTone> = {
  SUCCEEDED: "green",
  RUNNING: "blue",
  FAILED: "red",
  INTERRUPTED: "amber",
};

/** The counters with a column here, in their declared order (lib/sweep/counters.ts). */
const COUNTS = COUNTER_NAMES.flatMap((id) => {
  const { header } = SWEEP_COUNTERS[id];
  return header === null ? [] : [{ id, header }];
});

/**
 * Sweeps, newest first; the order is fixed, so no column sorts. A backlog that took several runs
 * (each stopped at its time budget, the next continued) is one row, with its counts summed.
 */
export function SweepsTable({ rows, page, now }: { rows: SweepBacklogView[]; page: DataTablePage; now: string }) {
  const at = useMemo(() => new Date(now), [now]);
  const columns = useMemo(
    () =>
      column.columns([
        column.display({
          id: "startedAt",
          header: "Started",
          cell: ({ row }) => <RelativeTime iso={row.original.startedAt} now={at} />,
        }),
        column.display({
          id: "status",
          header: "Status",
          cell: ({ row }) => <BacklogStatus backlog={row.original} />,
        }),
        column.display({
          id: "runs",
          header: "Runs",
          cell: ({ row }) => <span className="block text-right tabular-nums">{row.original.runs.length}</span>,
        }),
        column.display({ id: "trigger", header: "Trigger", cell: ({ row }) => row.original.trigger }),
        column.display({
          id: "duration",
          header: "Duration",
          cell: ({ row }) => (
            <span className="whitespace-nowrap tabular-nums">{formatDuration(row.original.durationMs)}</span>
          ),
        }),
        ...COUNTS.map(({ id, header }) =>
          column.display({
            id,
            header,
            cell: ({ row }) => <span className="block text-right tabular-nums">{row.original[id]}</span>,
          }),
        ),
        column.display({
          id: "error",
          header: "Error",
          cell: ({ row }) =>
            row.original.error ? (
              <span className="block min-w-48 max-w-md break-words text-xs text-red-700 dark:text-red-400">
                {row.original.error}
              </span>
            ) : null,
        }),
      ]),
    [at],
  );
  return (
    <DataTable
      columns={columns}
      rows={rows}
      sort={null}
      page={page}
      caption="Sweep runs, newest first"
      rowTestId="sweep-row"
      empty={<p className="text-zinc-500 dark:text-zinc-400">No sweep has run yet.</p>}
    />
  );
}

/** A backlog still being worked through says so, and how much is left; otherwise the run's status. */
function BacklogStatus({ backlog }: { backlog: SweepBacklogView }) {
  if (backlog.status !== "SUCCEEDED" || backlog.done) {
    return <Badge tone={STATUS_TONE[backlog.status]}>{backlog.status.toLowerCase()}</Badge>;
  }
  return (
    <span className="flex flex-col gap-1">
      <Badge tone="blue">backlog</Badge>
      <span className="whitespace-nowrap text-xs text-zinc-600 dark:text-zinc-400" data-testid="sweep-backlog-left">
        {formatKeysLeft(backlog.keysLeft)} keys left to blacklist; the next sweep continues
      </span>
    </span>
  );
}

function formatKeysLeft(keysLeft: SweepRunView["keysLeft"]): string {
  if (keysLeft === null || keysLeft === 0) return "no";
  // The count stops at a cap (lib/sweep/backlog.ts): a round figure there means "at least".
  return keysLeft >= 100_000 ? `≥ ${keysLeft.toLocaleString("en")}` : keysLeft.toLocaleString("en");
}

function formatDuration(ms: number | null): string {
  if (ms === null) return "running…";
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
