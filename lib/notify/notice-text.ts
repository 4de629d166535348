// How each kind of notice reads, in the app and in email. Pure: tested without a database.
import type { EmailKind, NoticeKind } from "@/lib/db/generated/enums";

const NOTICE_KINDS: readonly string[] = [
  "REMINDER",
  "IDLE",
  "EXPIRED",
  "BLACKLISTED",
  "GRACE_ENDED",
  "WEBHOOK_DISABLED",
] satisfies NoticeKind[];

/** A WEBHOOK_DISABLED notice's reason when the endpoint's creator lost the right to it (lib/rights). */
export const CREATOR_LOST_ACCESS = "CREATOR_LOST_ACCESS";

const lowerFirst = (text: string) => `${text.charAt(0).toLowerCase()}${text.slice(1)}`;

/** Whether an email lists notices (rendered from them) rather than being about the account. */
export function isNoticeKind(kind: EmailKind): kind is NoticeKind {
  return NOTICE_KINDS.includes(kind);
}

export interface NoticeItem {
  keyId: string | null;
  keyName: string;
  keyMasked: string;
  /**
   * For reminders: when the key stops working (its expiry, or a rotated key's earlier grace end);
   * for expiry: the key's expiry; for GRACE_ENDED: when the grace ended; for IDLE: when the key
   * will be disabled unless used.
   */
  keyExpiresAt: Date | null;
  /** IDLE (and a blacklisting as IDLE): since when the key has not been used. */
  keyIdleSince?: Date | null;
  reason?: string | null;
  note?: string | null;
  /** The owning team's name; null or absent for the person's own key. */
  keyOwner?: string | null;
  /** An API token's notice (lib/tokens) rather than a key's: it links to the token pages. */
  keyKind?: "KEY" | "TOKEN";
}

/**
 * Where a notice leads, as a path in the portal: the key's page (with the renew dialog for a
 * reminder or an expiry), the token pages for an API token (a person's own, or their teams'),
 * the webhook endpoints for a disabled one. The bell and the emails use the same links.
 */
export function noticePath(
  kind: NoticeKind,
  item: Pick<NoticeItem, "keyId" | "keyKind" | "keyOwner" | "reason">,
): string | null {
  if (kind === "WEBHOOK_DISABLED") return "/webhooks";
  if (!item.keyId) return null;
  if (item.keyKind === "TOKEN") return item.keyOwner ? "/teams" : "/settings/tokens";
  // A rotated key's reminder leads to its page (it needs no renewal, it may be revoked early).
  const renew = (kind === "REMINDER" && item.reason !== "ROTATED") || kind === "EXPIRED";
  return renew ? `/keys/${item.keyId}?renew=1` : `/keys/${item.keyId}`;
}

export interface NoticeGroup {
  kind: NoticeKind;
  windowDays: number | null;
  items: NoticeItem[];
  /** Keys in the group beyond `items` (an email lists the first ones, then says how many more). */
  more?: number;
}

const DAY = 86_400_000;

/** "in 7 days, on 5 Dec 2026, 14:00 UTC" in the owner's time zone. */
export function whenInOwnersTerms(at: Date, now: Date, timeZone: string): string {
  const days = Math.round((at.getTime() - now.getTime()) / DAY);
  const relative =
    days === 0
      ? "today"
      : days === 1
        ? "tomorrow"
        : days === -1
          ? "yesterday"
          : days > 0
            ? `in ${days} days`
            : `${-days} days ago`;
  const zone = safeZone(timeZone);
  const date = new Intl.DateTimeFormat("en-GB", {
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone: zone,
    timeZoneName: "short",
  }).format(at);
  return `${relative}, on ${date}`;
}

function safeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat("en", { timeZone });
    return timeZone;
  } catch {
    return "UTC";
  }
}

/** "has not been used for 83 days" (whole days, as of `now`); vaguer without the date. */
function unusedFor(since: Date | null | undefined, now: Date): string {
  if (!since) return "has not been used for a long time";
  const days = Math.floor((now.getTime() - since.getTime()) / DAY);
  return days < 1 ? "has not been used for a day" : `has not been used for ${days} day${days === 1 ? "" : "s"}`;
}

export function noticeTitle(group: Pick<NoticeGroup, "kind" | "windowDays">, count: number): string {
  const keys = count === 1 ? "key" : `${count} keys`;
  const one = count === 1;
  switch (group.kind) {
    case "REMINDER":
      return one
        ? `Your API key expires within ${group.windowDays} day${group.windowDays === 1 ? "" : "s"}`
        : `${keys} expire within ${group.windowDays} day${group.windowDays === 1 ? "" : "s"}`;
    case "IDLE": {
      const within = group.windowDays ? ` within ${group.windowDays} day${group.windowDays === 1 ? "" : "s"}` : "";
      return one ? `Your unused API key will be disabled${within}` : `${count} unused keys will be disabled${within}`;
    }
    case "EXPIRED":
      return one ? "Your API key has expired" : `${keys} have expired`;
    case "BLACKLISTED":
      return one ? "Your API key was blacklisted" : `${keys} were blacklisted`;
    case "GRACE_ENDED":
      return one ? "Your rotated key stopped working" : `${keys} you rotated stopped working`;
    case "WEBHOOK_DISABLED":
      return one ? "A webhook endpoint was disabled" : `${count} webhook endpoints were disabled`;
  }
}

export function noticeLine(kind: NoticeKind, item: NoticeItem, now: Date, timeZone: string): string {
  const key = `${item.keyKind === "TOKEN" ? "API token " : ""}“${item.keyName}” (${item.keyMasked})`;
  const when = item.keyExpiresAt ? whenInOwnersTerms(item.keyExpiresAt, now, timeZone) : null;
  switch (kind) {
    case "REMINDER":
      // reason ROTATED: a key in grace, or rotated to work until its expiry (notices-from-events.ts).
      if (item.reason === "ROTATED")
        return `${key} was replaced and stops working ${when ?? "soon"}. Move what still uses it to the new key.`;
      return `${key} expires ${when ?? "soon"}.`;
    case "IDLE":
      // keyExpiresAt holds when the idle key will be disabled (the sweep's idle reminder).
      return `${key} ${unusedFor(item.keyIdleSince, now)}: it will be disabled ${when ? `${when},` : "soon"} unless a service uses it.`;
    case "EXPIRED":
      return `${key} expired ${when ?? ""}. Services using it are refused with EXPIRED.`.replace(" .", ".");
    case "BLACKLISTED":
      if (item.reason === "IDLE") {
        // The note says for how long (KEY_IDLE_DAYS at the time), e.g. "Not used for 90 days".
        const why = item.note ? `: ${lowerFirst(item.note)}` : "";
        return `${key} was disabled (blacklisted as IDLE)${why}. It no longer works; issue a new key if you still need one.`;
      }
      return `${key} was blacklisted as ${item.reason ?? "REVOKED"}${item.note ? `: “${item.note}”` : ""}. It no longer works.`;
    case "GRACE_ENDED":
      return `${key} was replaced and its grace period ended ${when ?? ""}. It no longer works.`.replace(" .", ".");
    case "WEBHOOK_DISABLED":
      // keyName holds the endpoint's URL: these notices are about an endpoint, not a key.
      if (item.reason === CREATOR_LOST_ACCESS) {
        // Its secret is the departed creator's: a new endpoint (new secret) replaces it.
        return `The webhook endpoint ${item.keyName} was disabled: ${lowerFirst(item.note ?? "its creator lost the right to it")}. If it is still needed, add it again under your own name under Webhooks.`;
      }
      return `The webhook endpoint ${item.keyName} failed every delivery for three days and was disabled${item.note ? ` (last error: ${item.note})` : ""}. Fix it, then enable it again under Webhooks.`;
  }
}
