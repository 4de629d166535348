"use client";
import { createColumnHelper } from "@tanstack/react-table";
import { useMemo } from "react";
import { ExpiryCell } from "@/components/keys/expiry-cell";
import { StatusBadge } from "@/components/keys/status-badge";
import { Button } from "@/components/ui/button";
import { DataTable, type DataTablePage, dataTableFeatures } from "@/components/ui/data-table";
import type { KeyView } from "@/lib/keys/read/key-view";
import { useBlacklistTarget, type BlacklistTarget } from "./blacklist-target";
import { RelativeTime } from "@/components/ui/relative-time";

export type AdminKeyRow = KeyView;

const column = createColumnHelper<typeof dataTableFeatures, AdminKeyRow>();

interface Props {
  rows: AdminKeyRow[];
  page: DataTablePage;
  sort: { id: string; desc: boolean };
  /** When the server rendered the page (ISO): relative times read the same on both sides. */
  now: string;
}

/** Every user's keys; column ids are the sort keys listKeys accepts (KEY_SORTS). */
export function AdminKeysTable({ rows, page, sort, now }: Props) {
  const { pick } = useBlacklistTarget();
  const at = useMemo(() => new Date(now), [now]);
  const columns = useMemo(
    () =>
      column.columns([
        column.display({
          id: "owner",
          header: "Owner",
          cell: ({ row }) => <OwnerCell owner={row.original.owner} />,
        }),
        column.accessor("name", {
          id: "name",
          header: "Name",
          sortDescFirst: false,
          cell: ({ row }) => <span className="font-medium">{row.original.name}</span>,
        }),
        column.display({
          id: "key",
          header: "Key",
          cell: ({ row }) => <code className="whitespace-nowrap font-mono text-xs">{row.original.masked}</code>,
        }),
        column.display({
          id: "scopes",
          header: "Scopes",
          cell: ({ row }) => <span className="whitespace-nowrap">{row.original.scopes.join(", ") || "—"}</span>,
        }),
        column.accessor("createdAt", {
          id: "createdAt",
          header: "Created",
          sortDescFirst: true,
          cell: ({ row }) => <RelativeTime iso={row.original.createdAt} now={at} />,
        }),
        column.accessor("expiresAt", {
          id: "expiresAt",
          header: "Expires",
          sortDescFirst: false,
          cell: ({ row }) => <ExpiryCell keyView={row.original} now={at} />,
        }),
        column.accessor("lastUsedAt", {
          id: "lastUsedAt",
          header: "Last used",
          sortDescFirst: true,
          cell: ({ row }) =>
            row.original.lastUsedAt ? (
              <RelativeTime iso={row.original.lastUsedAt} now={at} />
            ) : (
              <span className="text-zinc-400">never</span>
            ),
        }),
        column.display({
          id: "status",
          header: "Status",
          cell: ({ row }) => <StatusBadge keyView={row.original} />,
        }),
        column.display({
          id: "actions",
          header: () => <span className="sr-only">Actions</span>,
          cell: ({ row }) =>
            row.original.blacklist?.reason === "LEAKED" ? null : (
              <Button
                variant="ghost"
                aria-label={`Blacklist ${row.original.name} (${row.original.masked})`}
                onClick={() => pick(toTarget(row.original))}
              >
                Blacklist
              </Button>
            ),
        }),
      ]),
    [at, pick],
  );
  return (
    <DataTable
      columns={columns}
      rows={rows}
      sort={sort}
      page={page}
      caption="All keys of all people and teams"
      rowTestId="admin-key-row"
      empty={<p className="text-zinc-500 dark:text-zinc-400">No keys match.</p>}
    />
  );
}

function toTarget(row: AdminKeyRow): BlacklistTarget {
  return { id: row.id, name: row.name, masked: row.masked, ownerLabel: ownerLabel(row.owner) };
}

const ownerLabel = (owner: KeyView["owner"]) =>
  owner.type === "team" ? `team ${owner.name}` : (owner.email ?? owner.name);

function OwnerCell({ owner }: { owner: KeyView["owner"] }) {
  return (
    <span className="flex items-center gap-1.5 whitespace-nowrap">
      {owner.type === "team" ? (
        <span className="rounded bg-indigo-50 px-1.5 py-0.5 text-[10px] font-semibold uppercase text-indigo-700 dark:bg-indigo-950 dark:text-indigo-300">
          team
        </span>
      ) : null}
      {owner.type === "team" ? owner.name : (owner.email ?? owner.name)}
    </span>
  );
}
