/** What a portal page shows while its data loads: the table's outline, pulsing. */
export function TableSkeleton({
  title,
  rows = 8,
  columns = 6,
  withPanel = false,
}: {
  title: string;
  rows?: number;
  columns?: number;
  withPanel?: boolean;
}) {
  return (
    <div className="space-y-6" aria-busy="true">
      <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
      <p className="sr-only" role="status">
        Loading…
      </p>
      <div aria-hidden className="animate-pulse space-y-6">
        {withPanel ? (
          <div className="grid gap-6 md:grid-cols-2">
            <div className="h-56 rounded-xl bg-zinc-200 dark:bg-zinc-800" />
            <div className="h-56 rounded-xl bg-zinc-200 dark:bg-zinc-800" />
          </div>
        ) : null}
        <div className="h-9 w-full max-w-xs rounded-md bg-zinc-200 dark:bg-zinc-800" />
        <div className="overflow-hidden rounded-lg ring-1 ring-zinc-200 dark:ring-zinc-800">
          <div className="h-10 bg-zinc-100 dark:bg-zinc-900" />
          {Array.from({ length: rows }, (_, row) => (
            <div key={row} className="flex gap-4 border-t border-zinc-100 px-3 py-3 dark:border-zinc-800">
              {Array.from({ length: columns }, (_, column) => (
                <div key={column} className="h-4 flex-1 rounded bg-zinc-200 dark:bg-zinc-800" />
              ))}
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
