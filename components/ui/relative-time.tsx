import { formatExact, formatRelative } from "@/lib/format/time";

/** An instant in an admin page: relative to when the server rendered it, exact UTC on hover. */
export function RelativeTime({ iso, now }: { iso: string; now: Date }) {
  return (
    <time dateTime={iso} title={formatExact(iso)} className="whitespace-nowrap">
      {formatRelative(iso, now)}
    </time>
  );
}
