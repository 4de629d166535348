import Link from "next/link";
import type { KeyTab } from "@/lib/keys/read/list-keys";

export interface TabSpec {
  tab: KeyTab;
  label: string;
  count?: number;
}

/** Key tabs as links: the search and sort stay, the page starts over. */
export function KeyTabs({
  basePath,
  tabs,
  current,
  keep,
}: {
  basePath: string;
  tabs: TabSpec[];
  current: KeyTab;
  keep: Record<string, string | undefined>;
}) {
  return (
    <nav aria-label="Key tabs" className="-mb-px flex gap-1 overflow-x-auto">
      {tabs.map(({ tab, label, count }) => {
        const params = new URLSearchParams({ tab });
        for (const [name, value] of Object.entries(keep)) if (value) params.set(name, value);
        return (
          <Link
            key={tab}
            href={`${basePath}?${params}`}
            aria-current={tab === current ? "page" : undefined}
            className={`whitespace-nowrap border-b-2 px-3 py-2 text-sm ${tab === current ? "border-indigo-600 font-semibold" : "border-transparent text-zinc-500 hover:text-zinc-800 dark:text-zinc-400 dark:hover:text-zinc-200"}`}
          >
            {label}
            {count !== undefined ? (
              <span className="ml-1.5 rounded-full bg-zinc-100 px-1.5 text-xs tabular-nums dark:bg-zinc-800">
                {count}
              </span>
            ) : null}
          </Link>
        );
      })}
    </nav>
  );
}
