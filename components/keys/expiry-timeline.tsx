"use client";
// Keys that stop working per day over the next 90 days (recharts), so people see what is coming;
// the amber part is inside the first reminder window: the Expiring soon tab, the banner's count.
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { TimelineDay } from "@/lib/keys/read/expiry-timeline";

export function ExpiryTimeline({
  data,
  windowDays,
  title = "Expiring in the next 90 days",
}: {
  data: TimelineDay[];
  windowDays: number;
  title?: string;
}) {
  const total = data.reduce((sum, d) => sum + d.count, 0);
  const soon = data.reduce((sum, d) => sum + d.soon, 0);
  const bars = data.map((d) => ({ day: d.day, soon: d.soon, later: d.count - d.soon }));
  const keys = (n: number) => `${n} key${n === 1 ? "" : "s"}`;
  return (
    <figure className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-zinc-200 dark:bg-zinc-900 dark:ring-zinc-800">
      <figcaption className="mb-2 flex items-baseline justify-between text-sm">
        <span className="font-semibold">{title}</span>
        <span className="text-zinc-500 dark:text-zinc-400" data-testid="timeline-totals">
          <span className="text-amber-700 dark:text-amber-400">
            {soon} within {windowDays} days
          </span>{" "}
          · {keys(total)}
        </span>
      </figcaption>
      <div
        className="h-36"
        role="img"
        aria-label={`${title}: ${keys(total)} in total, ${soon} within ${windowDays} days`}
      >
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={bars} margin={{ top: 4, right: 16, bottom: 0, left: -8 }}>
            <CartesianGrid vertical={false} strokeOpacity={0.15} />
            <XAxis
              dataKey="day"
              tickFormatter={(d: string) => d.slice(5)}
              interval={14}
              minTickGap={8}
              tick={{ fontSize: 11 }}
              stroke="currentColor"
              strokeOpacity={0.4}
            />
            <YAxis allowDecimals={false} tick={{ fontSize: 11 }} stroke="currentColor" strokeOpacity={0.4} />
            <Tooltip
              cursor={{ fillOpacity: 0.1 }}
              contentStyle={{ fontSize: 12, borderRadius: 6 }}
              formatter={(value, name) => [
                value,
                name === "soon" ? `stop working (within ${windowDays} days)` : "stop working",
              ]}
              labelFormatter={(label) => String(label)}
            />
            <Bar dataKey="soon" stackId="end" fill="#f59e0b" isAnimationActive={false} />
            <Bar dataKey="later" stackId="end" fill="#6366f1" radius={[2, 2, 0, 0]} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
