// Key detail's Usage card: the last 30 days by outcome, totals, last use and the gate's last client.
// "Answers" are every answer about the key (refusals too); "successful" ones are the VALID answers,
// which the key's counter (usageCount, the page's "Successful verifications") adds up ever.
import { UsageChart } from "@/components/usage/usage-chart";
import { OUTCOME_STYLE } from "@/components/usage/outcome-style";
import { formatExact, formatRelative } from "@/lib/format/time";
import { getKeyUsage } from "@/lib/usage/key-usage";
import { USAGE_OUTCOMES } from "@/lib/usage/usage-outcomes";

export async function UsageCard({ userId, keyId }: { userId: string; keyId: string }) {
  const now = new Date();
  const usage = await getKeyUsage(userId, keyId, { granularity: "day" }, now.getTime());
  const refusals = USAGE_OUTCOMES.filter((o) => o !== "VALID" && usage.totals[o] > 0);
  return (
    <section
      aria-labelledby="usage-heading"
      className="rounded-xl bg-white p-5 shadow-sm ring-1 ring-zinc-200 dark:bg-zinc-900 dark:ring-zinc-800"
    >
      <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="usage-heading" className="text-lg font-semibold">
          Usage
        </h2>
        <span className="text-sm text-zinc-500 dark:text-zinc-400">Last 30 days, by day (UTC)</span>
      </div>
      <dl className="mb-4 grid gap-x-8 gap-y-3 text-sm sm:grid-cols-2 lg:grid-cols-4" data-testid="usage-totals">
        <Stat label="Answers (30 days)" value={usage.totals.all.toLocaleString("en")} testId="usage-total" />
        <Stat label="Successful (30 days)" value={usage.totals.VALID.toLocaleString("en")} testId="usage-valid" />
        <Stat label="Refused (30 days)" value={usage.totals.refused.toLocaleString("en")} testId="usage-refused" />
        <Stat label="Successful, ever" value={usage.usageCount.toLocaleString("en")} testId="usage-count" />
        <Stat
          label="Last used"
          value={usage.lastUsedAt ? formatRelative(usage.lastUsedAt, now) : "never"}
          title={usage.lastUsedAt ? formatExact(usage.lastUsedAt) : undefined}
          testId="usage-last-used"
        />
        <Stat label="Last client IP (gate)" value={usage.lastClientIp ?? "—"} mono testId="usage-last-ip" />
      </dl>
      {usage.totals.all === 0 ? (
        <p className="text-sm text-zinc-500 dark:text-zinc-400">No answers in the last 30 days.</p>
      ) : (
        <>
          <UsageChart series={usage} title="Answers per day" />
          {refusals.length ? (
            <p className="mt-2 text-xs text-zinc-500 dark:text-zinc-400">
              Refused:{" "}
              {refusals.map((o, i) => (
                <span key={o}>
                  {i ? ", " : ""}
                  {OUTCOME_STYLE[o].label.toLowerCase()} {usage.totals[o].toLocaleString("en")}
                </span>
              ))}
            </p>
          ) : null}
        </>
      )}
    </section>
  );
}

function Stat({
  label,
  value,
  title,
  mono,
  testId,
}: {
  label: string;
  value: string;
  title?: string;
  mono?: boolean;
  testId: string;
}) {
  return (
    <div>
      <dt className="text-xs font-medium uppercase tracking-wide text-zinc-500">{label}</dt>
      <dd className={`mt-1 ${mono ? "font-mono" : ""}`} title={title} data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}
