import { Badge } from "@/components/ui/badge";
import { formatExact, formatRelative } from "@/lib/format/time";
import type { KeyView } from "@/lib/keys/key-view";

/** Expiry as people read it: a badge for what matters now, the exact instant on hover. */
export function ExpiryCell({ keyView, now }: { keyView: Pick<KeyView, "expiresAt" | "status" | "graceEndsAt">; now: Date }) {
  if (!keyView.expiresAt) return <Badge tone="gray">never</Badge>;
  const exact = formatExact(keyView.expiresAt);
  const relative = formatRelative(keyView.expiresAt, now);
  if (keyView.status === "EXPIRED" || new Date(keyView.expiresAt) <= now) {
    return (
      <span className="flex flex-col items-start gap-0.5" title={exact}>
        <Badge tone="red">expired</Badge>
        <span className="text-xs text-zinc-500 dark:text-zinc-400">{relative}</span>
      </span>
    );
  }
  return (
    <span className="flex flex-col items-start gap-0.5" title={exact}>
      {keyView.status === "EXPIRING" ? <Badge tone="amber">expires {relative}</Badge> : <span>{relative}</span>}
      <span className="text-xs text-zinc-500 dark:text-zinc-400">{exact}</span>
    </span>
  );
}
