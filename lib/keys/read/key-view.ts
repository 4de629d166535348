import "server-only";
import type { Prisma } from "@/lib/db/client";
import { limitsView, type KeyLimitsView } from "@/lib/limits/key-limits";
import { effectiveEnd, expiringWindowDays, isExpiringSoon } from "../expiring-soon";
import { maskKey } from "../format";
import { keyStatus, type KeyStatus } from "../key-status";
import { ownerOf, personLabel, type KeyOwnerView } from "../key-owner";

const PERSON = { select: { email: true, name: true, deletedAt: true } } as const;

/** The columns every key listing reads (never the hash). */
export const KEY_VIEW_SELECT = {
  id: true,
  userId: true,
  teamId: true,
  issuedById: true,
  name: true,
  prefix: true,
  last4: true,
  scopes: true,
  createdAt: true,
  expiresAt: true,
  graceEndsAt: true,
  replacedById: true,
  lastUsedAt: true,
  usageCount: true,
  lastClientIp: true,
  lastVerifierId: true,
  rateLimitMax: true,
  rateLimitWindowSeconds: true,
  allowedCidrs: true,
  usageCap: true,
  user: PERSON,
  team: { select: { name: true, slug: true } },
  issuedBy: PERSON,
  blacklisted: { select: { reason: true, blacklistedAt: true, actorLabel: true, note: true } },
} satisfies Prisma.ApiKeySelect;

export type KeyRow = Prisma.ApiKeyGetPayload<{ select: typeof KEY_VIEW_SELECT }>;

/** What the API and pages show of a key. */
export interface KeyView {
  id: string;
  /** The owning user's or team's id (see `owner`); kept for clients written before teams. */
  ownerId: string;
  owner: KeyOwnerView;
  /** Who issued it; kept after they leave the team. Null only if that account was purged. */
  issuedBy: { id: string; label: string } | null;
  name: string;
  masked: string;
  prefix: string;
  last4: string;
  scopes: string[];
  createdAt: string;
  expiresAt: string | null;
  graceEndsAt: string | null;
  /** When it stops working unless renewed: the earlier of expiresAt and graceEndsAt (null: never). */
  worksUntil: string | null;
  /** Working and ending within the first reminder window: what the Expiring soon tab and the banner count. */
  expiringSoon: boolean;
  replacedById: string | null;
  lastUsedAt: string | null;
  usageCount: number;
  /** The client address the gate last saw a successful call from (not the verify route's callers'). */
  lastClientIp: string | null;
  /** The verifier token (lib/tokens) behind the last successful verification; null: anonymous, or the gate. */
  lastVerifierId: string | null;
  /** What the owner bounded: rate limit, allowed client addresses, usage cap. */
  limits: KeyLimitsView;
  status: KeyStatus;
  blacklist: { reason: string; at: string; by: string; note: string | null } | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toKeyView(row: KeyRow, now = new Date()): KeyView {
  const owner = ownerOf(row);
  return {
    id: row.id,
    ownerId: owner.id,
    owner,
    issuedBy: row.issuedById && row.issuedBy ? { id: row.issuedById, label: personLabel(row.issuedBy) } : null,
    name: row.name,
    masked: maskKey(row.prefix, row.last4),
    prefix: row.prefix,
    last4: row.last4,
    scopes: row.scopes,
    createdAt: row.createdAt.toISOString(),
    expiresAt: iso(row.expiresAt),
    graceEndsAt: iso(row.graceEndsAt),
    worksUntil: iso(effectiveEnd(row)),
    expiringSoon: isExpiringSoon(row, now),
    replacedById: row.replacedById,
    lastUsedAt: iso(row.lastUsedAt),
    usageCount: Number(row.usageCount),
    lastClientIp: row.lastClientIp,
    lastVerifierId: row.lastVerifierId,
    limits: limitsView(row),
    status: keyStatus(row, now, expiringWindowDays()),
    blacklist: row.blacklisted
      ? {
          reason: row.blacklisted.reason,
          at: row.blacklisted.blacklistedAt.toISOString(),
          by: row.blacklisted.actorLabel,
          note: row.blacklisted.note,
        }
      : null,
  };
}
