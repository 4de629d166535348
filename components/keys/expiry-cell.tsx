import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { formatExact, formatRelative } from "@/lib/format/time";
import type { KeyView } from "@/lib/keys/read/key-view";

type ExpiryView = Pick<
  KeyView,
  "expiresAt" | "status" | "graceEndsAt" | "worksUntil" | "expiringSoon" | "replacedById"
>;

/**
 * Expiry as people read it: a badge for what matters now, the exact instant on hover. A rotated key
 * that still works says when it stops (its grace end, or its expiry), not an expiry it will never
 * reach, and what replaced it (`replacedBy`, where the page knows it).
 */
export function ExpiryCell({
  keyView,
  now,
  replacedBy,
}: {
  keyView: ExpiryView;
  now: Date;
  replacedBy?: { id: string; masked: string } | null;
}) {
  const works = keyView.status === "ACTIVE" || keyView.status === "EXPIRING" || keyView.status === "GRACE";
  if (works && (keyView.replacedById || keyView.graceEndsAt) && keyView.worksUntil) {
    const exact = formatExact(keyView.worksUntil);
    return (
      <span className="flex flex-col items-start gap-0.5" title={exact} data-testid="works-until">
        <Badge tone={keyView.expiringSoon ? "amber" : "blue"}>
          stops working {formatRelative(keyView.worksUntil, now)}
        </Badge>
        <span className="text-xs text-zinc-500 dark:text-zinc-400">
          replaced
          {replacedBy ? (
            <>
              {" by "}
              <Link className="text-indigo-700 hover:underline dark:text-indigo-300" href={`/keys/${replacedBy.id}`}>
                {replacedBy.masked}
              </Link>
            </>
          ) : null}
          {` · ${exact}`}
        </span>
      </span>
    );
  }
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
      {keyView.expiringSoon ? <Badge tone="amber">expires {relative}</Badge> : <span>{relative}</span>}
      <span className="text-xs text-zinc-500 dark:text-zinc-400">{exact}</span>
    </span>
  );
}
