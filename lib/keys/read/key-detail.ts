import "server-only";
import { prisma } from "@/lib/db/client";
import { describeLimits, type KeyLimitsView } from "@/lib/limits/key-limits";
import { maskKey } from "../format";
import { accessKeyOrThrow, teamMayDo } from "./key-access";
import { toKeyView, type KeyView } from "./key-view";

export interface HistoryEntry {
  at: string;
  what: string;
  by: string;
  detail?: string;
}

export interface KeyDetail {
  key: KeyView;
  replacedBy: { id: string; name: string; masked: string } | null;
  replaces: { id: string; name: string; masked: string } | null;
  history: HistoryEntry[];
  /** The verifier token behind the last successful verification (its name), if one asked. */
  lastVerifier: { id: string; name: string } | null;
  /** What the viewer may do to it (the page shows only those buttons). */
  may: { revoke: boolean; renew: boolean; rotate: boolean; limits: boolean };
}

const ACTION_LABEL: Record<string, string> = {
  "key.issued": "Issued",
  "key.revoked": "Revoked",
  "key.rotated": "Rotated",
  "key.blacklisted": "Blacklisted by an admin",
  "key.limits_changed": "Limits changed",
};

/** Everything the key page shows, for its owner or the owning team's members (404 for anyone else). */
export async function getKeyDetail(userId: string, id: string): Promise<KeyDetail> {
  const { row, teamRole } = await accessKeyOrThrow(userId, id, "view");
  const issuer = row.issuedById === userId;
  const may = (action: "revoke" | "renew" | "rotate" | "limits") =>
    teamRole === null || teamMayDo(teamRole, action, issuer);
  const linkSelect = { id: true, name: true, prefix: true, last4: true } as const;
  const [events, replacedBy, replaces, verifier] = await Promise.all([
    prisma.auditEvent.findMany({ where: { keyId: id }, orderBy: { at: "desc" }, take: 100 }),
    row.replacedById ? prisma.apiKey.findUnique({ where: { id: row.replacedById }, select: linkSelect }) : null,
    prisma.apiKey.findFirst({ where: { replacedById: id }, select: linkSelect }),
    row.lastVerifierId
      ? prisma.apiKey.findUnique({ where: { id: row.lastVerifierId }, select: { id: true, name: true } })
      : null,
  ]);
  const key = toKeyView(row);
  const history: HistoryEntry[] = events.map((e) => ({
    at: e.at.toISOString(),
    what: ACTION_LABEL[e.action] ?? e.action,
    by: e.actorLabel,
    detail: describe(e.detail),
  }));
  // The sweep writes blacklist rows without audit events (it may write millions); show them too.
  if (key.blacklist && key.blacklist.by === "sweep") {
    history.push({
      at: key.blacklist.at,
      what: `Blacklisted as ${key.blacklist.reason}`,
      by: "sweep",
      detail: key.blacklist.note ?? undefined,
    });
  }
  if (key.lastUsedAt) {
    history.push({
      at: key.lastUsedAt,
      what: `Last used (${key.usageCount.toLocaleString("en")} successful verification${key.usageCount === 1 ? "" : "s"})`,
      by: verifier ? `verifier “${verifier.name}”` : "—",
    });
  }
  history.sort((a, b) => b.at.localeCompare(a.at));
  const link = (k: { id: string; name: string; prefix: string; last4: string } | null) =>
    k ? { id: k.id, name: k.name, masked: maskKey(k.prefix, k.last4) } : null;
  return {
    key,
    replacedBy: link(replacedBy),
    replaces: link(replaces),
    history,
    lastVerifier: verifier,
    may: { revoke: may("revoke"), renew: may("renew"), rotate: may("rotate"), limits: may("limits") },
  };
}

function describe(detail: unknown): string | undefined {
  if (!detail || typeof detail !== "object") return undefined;
  const d = detail as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof d.reason === "string") parts.push(`reason ${d.reason}`);
  if (typeof d.note === "string") parts.push(`“${d.note}”`);
  if (typeof d.grace === "string") parts.push(`grace ${d.grace}`);
  if (typeof d.expiresAt === "string")
    parts.push(`expires ${d.expiresAt === "never" ? "never" : d.expiresAt.slice(0, 10)}`);
  if (typeof d.rotatedFrom === "string") parts.push("replacing an older key");
  // key.issued with limits, key.limits_changed (before → after): written by this code, so the
  // shape is known; anything else there is left out rather than guessed at.
  if (isLimitsView(d.limits)) parts.push(describeLimits(d.limits));
  if (isLimitsView(d.before) && isLimitsView(d.after))
    parts.push(`${describeLimits(d.before)} → ${describeLimits(d.after)}`);
  return parts.length ? parts.join(", ") : undefined;
}

function isLimitsView(value: unknown): value is KeyLimitsView {
  if (!value || typeof value !== "object") return false;
  const v = value as Record<string, unknown>;
  return (
    Array.isArray(v.allowedIps) &&
    (v.usageCap === null || typeof v.usageCap === "number") &&
    (v.rateLimit === null || typeof v.rateLimit === "object")
  );
}
