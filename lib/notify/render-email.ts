// One email per person, kind and window: a plain-text and an HTML body listing every key, each
// with a link that opens that key's renew dialog; grouped by owner (their own keys, then each
// team's) when the person is responsible for team keys too.
import { renewUrlFor } from "@/lib/links";
import { noticeLine, noticePath, noticeTitle, type NoticeGroup, type NoticeItem } from "./notice-text";

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

export function renderEmail(
  owner: { name: string | null; timeZone: string },
  group: NoticeGroup,
  appUrl: string,
  now: Date,
): RenderedEmail {
  const more = group.more ?? 0;
  const subject = `[Keyward] ${noticeTitle(group, group.items.length + more)}`;
  // Reminders list keys of every owner the person answers for: the banner's view lists them all.
  const listTab =
    group.kind === "REMINDER" ? "?view=responsible&tab=expiring" : group.kind === "IDLE" ? "" : "?tab=blacklisted";
  const moreLine = more ? `…and ${more} more key${more === 1 ? "" : "s"}: ${appUrl}/keys${listTab}` : null;
  const greeting = `Hello${owner.name ? ` ${owner.name}` : ""},`;
  // An idle key needs no renewal, only a use; its link opens the key (and its usage) instead.
  const idle = group.kind === "IDLE";
  // A disabled webhook endpoint is not a key: its link opens the endpoints.
  const webhook = group.kind === "WEBHOOK_DISABLED";
  const action =
    group.kind === "REMINDER" ? "Renew" : idle ? "View key" : webhook ? "Open webhooks" : "Issue a replacement";
  const sections = byOwner(group.items).map(({ heading, items }) => ({
    heading,
    lines: items.map((item) => {
      // A rotated key's reminder: nothing to renew, its page says when it stops (and revokes it).
      const replaced = group.kind === "REMINDER" && item.reason === "ROTATED";
      return {
        line: noticeLine(group.kind, item, now, owner.timeZone),
        link:
          webhook || item.keyKind === "TOKEN" || replaced
            ? `${appUrl}${noticePath(group.kind, item)}`
            : item.keyId
              ? idle
                ? `${appUrl}/keys/${item.keyId}`
                : renewUrlFor(appUrl, item.keyId)
              : `${appUrl}/keys`,
        action: replaced ? "View key" : action,
      };
    }),
  }));
  const text = [
    greeting,
    "",
    ...sections.flatMap(({ heading, lines }) => [
      ...(heading ? [heading] : []),
      ...lines.flatMap(({ line, link, action }) => [`- ${line}`, `  ${action}: ${link}`]),
      ...(heading ? [""] : []),
    ]),
    ...(moreLine ? [moreLine] : []),
    "",
    group.kind === "REMINDER"
      ? "Renewing creates a new key with the same name and scopes; you choose how long the old one keeps working."
      : idle
        ? "A key counts as used when a service verifies it successfully. If nothing needs it any more, let it be disabled, or revoke it yourself."
        : webhook
          ? "A disabled endpoint receives nothing; events from while it is disabled are not sent to it later."
          : "Renewing creates a new key with the same name and scopes.",
    "",
    `Your keys: ${appUrl}/keys`,
    `Email settings: ${appUrl}/settings`,
  ].join("\n");
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#18181b;line-height:1.5">
<p>${escapeHtml(greeting)}</p>
${sections
  .map(
    ({ heading, lines }) =>
      `${heading ? `<h3 style="font-size:15px;margin:16px 0 4px">${escapeHtml(heading)}</h3>` : ""}<ul>${lines
        .map(({ line, link, action }) => `<li>${escapeHtml(line)} <a href="${escapeHtml(link)}">${action}</a></li>`)
        .join("")}</ul>`,
  )
  .join("")}${moreLine ? `\n<p>${escapeHtml(moreLine)}</p>` : ""}
<p><a href="${escapeHtml(`${appUrl}/keys`)}">Your keys</a> · <a href="${escapeHtml(`${appUrl}/settings`)}">Email settings</a></p>
</body></html>`;
  return { subject, text, html };
}

/**
 * The items grouped by owner, personal first, in the order given. A person with only their own
 * keys gets one untitled list, as before teams.
 */
export function byOwner(items: NoticeItem[]): { heading: string | null; items: NoticeItem[] }[] {
  const groups = new Map<string | null, NoticeItem[]>();
  for (const item of items) {
    const owner = item.keyOwner ?? null;
    groups.set(owner, [...(groups.get(owner) ?? []), item]);
  }
  if (groups.size === 1 && groups.has(null)) return [{ heading: null, items }];
  const ordered = [...groups.entries()].sort(([a], [b]) => (a === null ? -1 : b === null ? 1 : a.localeCompare(b)));
  return ordered.map(([owner, list]) => ({ heading: owner === null ? "Your keys" : `Team “${owner}”`, items: list }));
}
