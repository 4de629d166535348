// A row's last days of answers as tiny stacked bars: plain SVG, no chart library, so a page of a
// hundred rows stays cheap to render. Refused answers sit on top in red.
import type { SparkDay } from "@/lib/usage/usage-buckets";

const W = 4;
const GAP = 1;
const H = 20;

export function Sparkline({ days }: { days: SparkDay[] }) {
  const max = Math.max(1, ...days.map((d) => d.valid + d.refused));
  const valid = days.reduce((s, d) => s + d.valid, 0);
  const refused = days.reduce((s, d) => s + d.refused, 0);
  const summary = `${valid} valid, ${refused} refused in the last ${days.length} days`;
  return (
    <svg
      width={days.length * (W + GAP)}
      height={H}
      role="img"
      aria-label={summary}
      data-testid="sparkline"
      className="block"
    >
      <title>{summary}</title>
      <line x1={0} x2={days.length * (W + GAP)} y1={H - 0.5} y2={H - 0.5} stroke="currentColor" strokeOpacity={0.15} />
      {days.map((d, i) => {
        const hv = (d.valid / max) * (H - 1);
        const hr = (d.refused / max) * (H - 1);
        const x = i * (W + GAP);
        return (
          <g key={d.day}>
            {d.valid > 0 ? <rect x={x} y={H - 1 - hv} width={W} height={Math.max(1, hv)} fill="#6366f1" /> : null}
            {d.refused > 0 ? (
              <rect x={x} y={H - 1 - hv - hr} width={W} height={Math.max(1, hr)} fill="#dc2626" />
            ) : null}
          </g>
        );
      })}
    </svg>
  );
}
