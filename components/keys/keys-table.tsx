"use client";
import Link from "next/link";
import { useMemo } from "react";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { DataTable, type DataTableColumn, type DataTablePage } from "@/components/ui/data-table";
import { formatExact, formatRelative } from "@/lib/format/time";
import type { KeyView } from "@/lib/keys/read/key-view";
import type { SparkDay } from "@/lib/usage/usage-buckets";
import { Sparkline } from "@/components/usage/sparkline";
import { ExpiryCell } from "./expiry-cell";
import { StatusBadge } from "./status-badge";

interface Props {
  keys: KeyView[];
  page: DataTablePage;
  sort: { id: string; desc: boolean };
  now: string;
  empty: React.ReactNode;
  /** A team's keys: show who issued each. */
  showIssuer?: boolean;
  /** Keys of several owners (view=responsible): show whose each is. */
  showOwner?: boolean;
  /** Each row's last 14 days of answers, by key id (a "Last 14 days" column when given). */
  sparklines?: Record<string, SparkDay[]>;
}

const renewable = (key: KeyView) => !key.replacedById && (key.status === "EXPIRED" || key.status === "EXPIRING");

export function KeysTable({ keys, page, sort, now, empty, showIssuer = false, showOwner = false, sparklines }: Props) {
  const at = useMemo(() => new Date(now), [now]);
  const columns = useMemo<DataTableColumn<KeyView>[]>(
    () => [
      {
        id: "name",
        header: "Name",
        accessorKey: "name",
        cell: ({ row }) => (
          <Link
            href={`/keys/${row.original.id}`}
            className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
          >
            {row.original.name}
          </Link>
        ),
      },
      {
        id: "key",
        header: "Key",
        enableSorting: false,
        cell: ({ row }) => <code className="whitespace-nowrap font-mono text-xs">{row.original.masked}</code>,
      },
      {
        id: "scopes",
        header: "Scopes",
        enableSorting: false,
        cell: ({ row }) => (
          <span className="flex flex-wrap gap-1">
            {row.original.scopes.map((s) => (
              <Badge key={s} tone="blue">
                {s}
              </Badge>
            ))}
          </span>
        ),
      },
      ...(showOwner
        ? [
            {
              id: "owner",
              header: "Owner",
              enableSorting: false,
              cell: ({ row }) => (
                <span className="whitespace-nowrap">
                  {row.original.owner.type === "team" ? `Team ${row.original.owner.name}` : "Personal"}
                </span>
              ),
            } satisfies DataTableColumn<KeyView>,
          ]
        : []),
      ...(showIssuer
        ? [
            {
              id: "issuedBy",
              header: "Issued by",
              enableSorting: false,
              cell: ({ row }) => <span className="whitespace-nowrap">{row.original.issuedBy?.label ?? "—"}</span>,
            } satisfies DataTableColumn<KeyView>,
          ]
        : []),
      {
        id: "createdAt",
        header: "Created",
        accessorKey: "createdAt",
        cell: ({ row }) => (
          <span title={formatExact(row.original.createdAt)} className="whitespace-nowrap">
            {formatRelative(row.original.createdAt, at)}
          </span>
        ),
      },
      {
        id: "expiresAt",
        header: "Expires",
        accessorKey: "expiresAt",
        cell: ({ row }) => <ExpiryCell keyView={row.original} now={at} />,
      },
      {
        id: "lastUsedAt",
        header: "Last used",
        accessorKey: "lastUsedAt",
        cell: ({ row }) =>
          row.original.lastUsedAt ? (
            <span title={formatExact(row.original.lastUsedAt)} className="whitespace-nowrap">
              {formatRelative(row.original.lastUsedAt, at)}
            </span>
          ) : (
            <span className="text-zinc-400">never</span>
          ),
      },
      ...(sparklines
        ? [
            {
              id: "usage",
              header: "Last 14 days",
              enableSorting: false,
              cell: ({ row }) => {
                const days = sparklines[row.original.id];
                return days ? <Sparkline days={days} /> : null;
              },
            } satisfies DataTableColumn<KeyView>,
          ]
        : []),
      {
        id: "status",
        header: "Status",
        enableSorting: false,
        cell: ({ row }) => (
          <span className="flex flex-col items-start gap-0.5">
            <StatusBadge keyView={row.original} />
            {row.original.blacklist?.note ? (
              <span className="max-w-48 truncate text-xs text-zinc-500" title={row.original.blacklist.note}>
                {row.original.blacklist.note}
              </span>
            ) : null}
          </span>
        ),
      },
      {
        id: "actions",
        header: () => <span className="sr-only">Actions</span>,
        enableSorting: false,
        cell: ({ row }) =>
          renewable(row.original) ? (
            <ButtonLink
              href={`/keys/${row.original.id}?renew=1`}
              variant="secondary"
              className="py-1 text-xs"
              aria-label={`Renew ${row.original.name}`}
            >
              Renew
            </ButtonLink>
          ) : null,
      },
    ],
    [at, showIssuer, showOwner, sparklines],
  );
  return (
    <DataTable
      caption={showOwner ? "API keys you are responsible for" : showIssuer ? "The team's API keys" : "Your API keys"}
      columns={columns}
      rows={keys}
      sort={sort}
      page={page}
      empty={empty}
      rowTestId="key-row"
      rowClassName={(k) => (k.status === "EXPIRED" ? "bg-red-50/50 dark:bg-red-950/20" : "")}
    />
  );
}
