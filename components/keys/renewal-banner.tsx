import Link from "next/link";
import type { ExpiringSummary } from "@/lib/keys/read/expiring-summary";

/**
 * Shown on every portal page while any key the user is responsible for (theirs, or their teams')
 * is about to stop working. Its list link opens exactly the keys it counted, whichever team the
 * header has chosen: /keys?view=responsible&tab=expiring.
 */
export function RenewalBanner({ summary }: { summary: ExpiringSummary }) {
  if (summary.count === 0 || !summary.soonest) return null;
  const many = summary.count > 1;
  const soonest = summary.soonest;
  const whose = soonest.team ? ` of team ${soonest.team}` : "";
  return (
    <div
      role="status"
      data-testid="renewal-banner"
      data-count={summary.count}
      className="border-b border-amber-200 bg-amber-50 text-amber-900 dark:border-amber-900 dark:bg-amber-950/60 dark:text-amber-100"
    >
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-4 gap-y-1 px-4 py-2 text-sm sm:px-6">
        <p>
          <strong>
            {summary.count} key{many ? "s" : ""} expire{many ? "" : "s"} within {summary.windowDays} days
          </strong>
          {many ? "" : ` — “${soonest.name}”${whose}${soonest.replaced ? ", replaced: it stops working then" : ""}`}
        </p>
        {/* A replaced key needs no renewal: its page says when it stops and offers revocation. */}
        {soonest.replaced ? (
          <Link href={`/keys/${soonest.id}`} className="font-semibold underline underline-offset-2">
            Open “{soonest.name}”
          </Link>
        ) : (
          <Link href={`/keys/${soonest.id}?renew=1`} className="font-semibold underline underline-offset-2">
            Renew{many ? ` “${soonest.name}”` : ""}
          </Link>
        )}
        <Link href="/keys?view=responsible&tab=expiring" className="underline underline-offset-2">
          {many ? `See all ${summary.count}` : "See it in your keys"}
        </Link>
      </div>
    </div>
  );
}
