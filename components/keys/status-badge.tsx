import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { KeyView } from "@/lib/keys/read/key-view";

const TONE: Record<KeyView["status"], BadgeTone> = {
  ACTIVE: "green",
  EXPIRING: "amber",
  GRACE: "blue",
  EXPIRED: "red",
  BLACKLISTED: "red",
};

export function StatusBadge({ keyView }: { keyView: Pick<KeyView, "status" | "blacklist"> }) {
  const label =
    keyView.status === "BLACKLISTED"
      ? (keyView.blacklist?.reason ?? "ROTATED").toLowerCase()
      : keyView.status === "GRACE"
        ? "in grace"
        : keyView.status.toLowerCase();
  return <Badge tone={TONE[keyView.status]}>{label}</Badge>;
}
