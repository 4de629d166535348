"use client";
import { DataTableSearch } from "@/components/ui/data-table";
import { UrlSelectFilter } from "@/components/ui/url-select-filter";

/** Actor, action and key filters of the audit log, kept in the URL like the table's own state. */
export function AuditFilters({ actions }: { actions: { value: string; label: string }[] }) {
  return (
    <div className="flex w-full flex-col gap-2 sm:w-auto sm:flex-row sm:flex-wrap">
      <DataTableSearch param="actor" label="Filter by actor" placeholder="Actor email contains…" />
      <UrlSelectFilter param="action" label="Filter by action" allLabel="All actions" options={actions} />
      <DataTableSearch param="key" label="Filter by key id" placeholder="Key id (exact)" />
    </div>
  );
}
