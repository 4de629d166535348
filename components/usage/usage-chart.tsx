"use client";
// Answers per bucket, stacked by outcome (recharts). Outcomes that never occurred in the range are
// left out of the bars and the legend, so a key that is only ever VALID shows one colour.
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { UsageSeries } from "@/lib/usage/usage-buckets";
import { USAGE_OUTCOMES } from "@/lib/usage/usage-outcomes";
import { OUTCOME_STYLE } from "./outcome-style";

const label = (start: string, granularity: UsageSeries["granularity"]) =>
  granularity === "day" ? start.slice(5, 10) : `${start.slice(5, 10)} ${start.slice(11, 16)}`;

export function UsageChart({
  series,
  title,
  height = "h-48",
}: {
  series: UsageSeries;
  title: string;
  height?: string;
}) {
  const present = USAGE_OUTCOMES.filter((o) => series.totals[o] > 0);
  const data = series.buckets.map((b) => ({ label: label(b.start, series.granularity), ...b.counts }));
  const every = Math.max(0, Math.ceil(data.length / 8) - 1);
  return (
    <div
      className={height}
      role="img"
      aria-label={`${title}: ${series.totals.all} answers, ${series.totals.refused} refused`}
    >
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 4, right: 24, bottom: 0, left: 0 }}>
          <CartesianGrid vertical={false} strokeOpacity={0.15} />
          <XAxis
            dataKey="label"
            interval={every}
            minTickGap={8}
            tick={{ fontSize: 11 }}
            stroke="currentColor"
            strokeOpacity={0.4}
          />
          <YAxis allowDecimals={false} tick={{ fontSize: 11 }} stroke="currentColor" strokeOpacity={0.4} />
          <Tooltip cursor={{ fillOpacity: 0.1 }} contentStyle={{ fontSize: 12, borderRadius: 6 }} />
          {present.length > 1 ? <Legend wrapperStyle={{ fontSize: 12 }} /> : null}
          {present.map((o) => (
            <Bar
              key={o}
              dataKey={o}
              name={OUTCOME_STYLE[o].label}
              stackId="answers"
              fill={OUTCOME_STYLE[o].color}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
