import Link from "next/link";
import type { ExpiringSummary } from "@/lib/keys/expiring-summary";

/** Shown on every portal page while any of the user's keys is about to expire. */
export function RenewalBanner({ summary }: { summary: ExpiringSummary }) {
  if (summary.count === 0 || !summary.soonest) return null;
  const many = summary.count > 1;
  return (
    <div role="status" data-testid="renewal-banner" className="border-b border-amber-200 bg-amber-50 text-amber-900 dark:border-amber-900 dark:bg-amber-950/60 dark:text-amber-100">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-4 gap-y-1 px-4 py-2 text-sm sm:px-6">
        <p>
          <strong>
            {summary.count} key{many ? "s" : ""} expire{many ? "" : "s"} within {summary.windowDays} days
          </strong>
          {many ? "" : ` — “${summary.soonest.name}”`}
        </p>
        <Link href={`/keys/${summary.soonest.id}?renew=1`} className="font-semibold underline underline-offset-2">
          Renew{many ? ` “${summary.soonest.name}”` : ""}
        </Link>
        {many ? (
          <Link href="/keys?tab=expiring" className="underline underline-offset-2">
            See all
          </Link>
        ) : null}
      </div>
    </div>
  );
}
