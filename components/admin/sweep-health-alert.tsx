import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import type { SweepHealth } from "@/lib/sweep/sweep-health";
import { RelativeTime } from "@/components/ui/relative-time";

interface Props {
  health: SweepHealth;
  now: Date;
  /** The short form for pages other than /admin/sweeps: what is wrong and where to look. */
  compact?: boolean;
  appUrl?: string;
}

/** Warns while no sweep has succeeded for too long: a stopped cron is otherwise silent. */
export function SweepHealthAlert({ health, now, compact = false, appUrl = "" }: Props) {
  if (!health.stale) return null;
  const headline = health.lastSuccessAt
    ? `No successful sweep in the last ${health.warnAfterHours} hours.`
    : "No sweep has ever succeeded.";
  const last = health.lastSuccessAt ? (
    <>
      The last one finished <RelativeTime iso={health.lastSuccessAt} now={now} />.
    </>
  ) : null;
  if (compact) {
    return (
      <Alert tone="warning" role="alert">
        <strong>{headline}</strong> {last}{" "}
        <Link href="/admin/sweeps" className="font-semibold underline underline-offset-2">
          Check the sweeps
        </Link>
      </Alert>
    );
  }
  return (
    <Alert tone="warning" role="alert">
      <div className="space-y-2">
        <p>
          <strong>{headline}</strong> {last} The cron job that calls the sweep has probably stopped. Keys still stop
          working on time (verification checks expiry itself), but expired keys are not moved to the blacklist, renewal
          reminders are not sent and dead keys are not purged.
        </p>
        <p>
          Run the sweep by hand, then fix the schedule (crontab, Vercel Cron or a Kubernetes CronJob, see the README):
          on the machine Keyward runs on, in its folder,
        </p>
        <pre className="overflow-x-auto rounded bg-white/60 px-3 py-2 font-mono text-xs dark:bg-black/30">
          <code>npm run sweep</code>
        </pre>
        <p>or from anywhere, with the server&apos;s CRON_SECRET:</p>
        <pre className="overflow-x-auto rounded bg-white/60 px-3 py-2 font-mono text-xs dark:bg-black/30">
          <code>{`curl -fsS -X POST ${appUrl}/api/cron/sweep -H "Authorization: Bearer $CRON_SECRET"`}</code>
        </pre>
      </div>
    </Alert>
  );
}
