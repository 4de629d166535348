"use client";
// Keys expiring per day over the next 90 days (recharts), so people see what is coming.
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { TimelineDay } from "@/lib/keys/expiry-timeline";

export function ExpiryTimeline({ data, title = "Expiring in the next 90 days" }: { data: TimelineDay[]; title?: string }) {
  const total = data.reduce((sum, d) => sum + d.count, 0);
  return (
    <figure className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-zinc-200 dark:bg-zinc-900 dark:ring-zinc-800">
      <figcaption className="mb-2 flex items-baseline justify-between text-sm">
        <span className="font-semibold">{title}</span>
        <span className="text-zinc-500 dark:text-zinc-400">
          {total} key{total === 1 ? "" : "s"}
        </span>
      </figcaption>
      <div className="h-36" role="img" aria-label={`${title}: ${total} keys in total`}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} margin={{ top: 4, right: 4, bottom: 0, left: -24 }}>
            <CartesianGrid vertical={false} strokeOpacity={0.15} />
            <XAxis dataKey="day" tickFormatter={(d: string) => d.slice(5)} interval={14} tick={{ fontSize: 11 }} stroke="currentColor" strokeOpacity={0.4} />
            <YAxis allowDecimals={false} tick={{ fontSize: 11 }} stroke="currentColor" strokeOpacity={0.4} />
            <Tooltip
              cursor={{ fillOpacity: 0.1 }}
              contentStyle={{ fontSize: 12, borderRadius: 6 }}
              formatter={(value) => [value, "keys expire"]}
              labelFormatter={(label) => String(label)}
            />
            <Bar dataKey="count" fill="#6366f1" radius={[2, 2, 0, 0]} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
