// One email per owner, kind and window: a plain-text and an HTML body listing every key, each
// with a link that opens that key's renew dialog.
import { renewUrlFor } from "@/lib/keys/evaluate-key";
import { noticeLine, noticeTitle, type NoticeGroup } from "./notice-text";

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
  const moreLine = more ? `…and ${more} more key${more === 1 ? "" : "s"}: ${appUrl}/keys?tab=${group.kind === "REMINDER" ? "expiring" : "blacklisted"}` : null;
  const greeting = `Hello${owner.name ? ` ${owner.name}` : ""},`;
  const action = group.kind === "REMINDER" ? "Renew" : "Issue a replacement";
  const lines = group.items.map((item) => ({
    line: noticeLine(group.kind, item, now, owner.timeZone),
    link: item.keyId ? renewUrlFor(appUrl, item.keyId) : `${appUrl}/keys`,
  }));
  const text = [
    greeting,
    "",
    ...lines.flatMap(({ line, link }) => [`- ${line}`, `  ${action}: ${link}`]),
    ...(moreLine ? [moreLine] : []),
    "",
    group.kind === "REMINDER"
      ? "Renewing creates a new key with the same name and scopes; you choose how long the old one keeps working."
      : "Renewing creates a new key with the same name and scopes.",
    "",
    `Your keys: ${appUrl}/keys`,
    `Email settings: ${appUrl}/settings`,
  ].join("\n");
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#18181b;line-height:1.5">
<p>${escapeHtml(greeting)}</p>
<ul>${lines
    .map(({ line, link }) => `<li>${escapeHtml(line)} <a href="${escapeHtml(link)}">${action}</a></li>`)
    .join("")}</ul>${moreLine ? `\n<p>${escapeHtml(moreLine)}</p>` : ""}
<p><a href="${escapeHtml(`${appUrl}/keys`)}">Your keys</a> · <a href="${escapeHtml(`${appUrl}/settings`)}">Email settings</a></p>
</body></html>`;
  return { subject, text, html };
}
