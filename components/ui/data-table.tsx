"use client";
// The one table of the portal: @tanstack/react-table for columns, headers and sorting state,
// with sorting, filtering and pagination done by the server and kept in the URL.
import {
  rowSortingFeature,
  tableFeatures,
  useTable,
  type ColumnDef,
  type RowData,
  type SortingState,
} from "@tanstack/react-table";
import { useEffect, useState, type ReactNode } from "react";
import { inputClass } from "./field";
import { useUrlState } from "./use-url-state";

export const dataTableFeatures = tableFeatures({ rowSortingFeature });
export type DataTableColumn<T extends RowData> = ColumnDef<typeof dataTableFeatures, T>;

export interface DataTablePage {
  page: number;
  pageSize: number;
  /** Known for bounded lists; null where counting every row would be slow (admin lists). */
  total: number | null;
  hasNext: boolean;
}

interface Props<T extends RowData & { id: string }> {
  columns: DataTableColumn<T>[];
  rows: T[];
  sort: { id: string; desc: boolean } | null;
  /** null: a short list that is never paged (no pagination bar). */
  page: DataTablePage | null;
  empty: ReactNode;
  caption: string;
  rowTestId?: string;
  rowClassName?: (row: T) => string;
}

export function DataTable<T extends RowData & { id: string }>({
  columns,
  rows,
  sort,
  page,
  empty,
  caption,
  rowTestId,
  rowClassName,
}: Props<T>) {
  const { update, pending } = useUrlState();
  const sorting: SortingState = sort ? [sort] : [];
  const table = useTable({
    features: dataTableFeatures,
    columns,
    data: rows,
    getRowId: (row) => row.id,
    manualSorting: true,
    enableMultiSort: false,
    enableSortingRemoval: false,
    state: { sorting },
    onSortingChange: (updater) => {
      const next = typeof updater === "function" ? updater(sorting) : updater;
      const first = next[0];
      update({ sort: first?.id ?? null, dir: first ? (first.desc ? "desc" : "asc") : null });
    },
  });

  const from = page && rows.length ? (page.page - 1) * page.pageSize + 1 : 0;
  const to = page ? (page.page - 1) * page.pageSize + rows.length : rows.length;
  return (
    <div className={`transition-opacity ${pending ? "opacity-60" : ""}`} aria-busy={pending}>
      <div className="relative overflow-x-auto rounded-lg ring-1 ring-zinc-200 dark:ring-zinc-800">
        <table className="min-w-full divide-y divide-zinc-200 text-left text-sm dark:divide-zinc-800">
          <caption className="sr-only">{caption}</caption>
          <thead className="bg-zinc-50 text-xs font-medium uppercase tracking-wide text-zinc-500 dark:bg-zinc-900 dark:text-zinc-400">
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const sorted = header.column.getIsSorted();
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      className="whitespace-nowrap px-3 py-2.5"
                      aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined}
                    >
                      {header.column.getCanSort() ? (
                        <button
                          type="button"
                          onClick={header.column.getToggleSortingHandler()}
                          className="inline-flex items-center gap-1 uppercase hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-indigo-600 dark:hover:text-white"
                        >
                          <table.FlexRender header={header} />
                          <span aria-hidden className="w-3 text-[10px]">
                            {sorted === "asc" ? "▲" : sorted === "desc" ? "▼" : ""}
                          </span>
                        </button>
                      ) : (
                        <table.FlexRender header={header} />
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody className="divide-y divide-zinc-100 bg-white dark:divide-zinc-800 dark:bg-zinc-950">
            {table.getRowModel().rows.map((row) => (
              <tr key={row.id} data-testid={rowTestId} className={rowClassName?.(row.original) ?? ""}>
                {row.getAllCells().map((cell) => (
                  <td key={cell.id} className="px-3 py-2.5 align-middle">
                    <table.FlexRender cell={cell} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length === 0 ? (
          <div className="bg-white px-6 py-10 text-center text-sm dark:bg-zinc-950">{empty}</div>
        ) : null}
      </div>
      {page ? (
        <nav
          aria-label="Pagination"
          className="mt-3 flex items-center justify-between gap-3 text-sm text-zinc-600 dark:text-zinc-400"
        >
          <p aria-live="polite">
            {rows.length ? `Showing ${from}–${to}${page.total !== null ? ` of ${page.total}` : ""}` : ""}
          </p>
          <div className="flex items-center gap-2">
            <PageSizeSelect value={page.pageSize} onChange={(size) => update({ pageSize: String(size) })} />
            <button
              type="button"
              className="rounded-md px-3 py-1.5 ring-1 ring-zinc-300 enabled:hover:bg-zinc-100 disabled:opacity-40 dark:ring-zinc-700 dark:enabled:hover:bg-zinc-800"
              disabled={page.page <= 1}
              onClick={() => update({ page: String(page.page - 1) }, { resetPage: false })}
            >
              Previous
            </button>
            <span className="tabular-nums">Page {page.page}</span>
            <button
              type="button"
              className="rounded-md px-3 py-1.5 ring-1 ring-zinc-300 enabled:hover:bg-zinc-100 disabled:opacity-40 dark:ring-zinc-700 dark:enabled:hover:bg-zinc-800"
              disabled={!page.hasNext}
              onClick={() => update({ page: String(page.page + 1) }, { resetPage: false })}
            >
              Next
            </button>
          </div>
        </nav>
      ) : null}
    </div>
  );
}

function PageSizeSelect({ value, onChange }: { value: number; onChange: (size: number) => void }) {
  return (
    <label className="flex items-center gap-1.5">
      <span className="sr-only sm:not-sr-only">Rows</span>
      <select
        value={value}
        onChange={(e) => onChange(Number(e.target.value))}
        className="rounded-md bg-white py-1 pl-2 pr-7 ring-1 ring-zinc-300 dark:bg-zinc-900 dark:ring-zinc-700"
      >
        {[10, 20, 50, 100].map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The filter box above a table: debounced, written to the URL's `q`. */
export function DataTableSearch({
  label,
  placeholder,
  param = "q",
}: {
  label: string;
  placeholder: string;
  param?: string;
}) {
  const { params, update } = useUrlState();
  const current = params.get(param) ?? "";
  const [value, setValue] = useState(current);
  // The URL changed under the box (back, a link): show what it says now.
  const [shown, setShown] = useState(current);
  if (shown !== current) {
    setShown(current);
    setValue(current);
  }
  useEffect(() => {
    if (value === current) return;
    const timer = setTimeout(() => update({ [param]: value.trim() || null }), 300);
    return () => clearTimeout(timer);
  }, [value, current, param, update]);
  return (
    <label className="block w-full max-w-xs">
      <span className="sr-only">{label}</span>
      <input
        type="search"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        placeholder={placeholder}
        className={inputClass}
      />
    </label>
  );
}
