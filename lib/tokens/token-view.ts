import "server-only";
import type { ApiScope } from "@/lib/api/scopes";
import { toKeyView, type KeyRow } from "@/lib/keys/read/key-view";

/** What the API and pages show of an API token (never its plaintext or hash). */
export interface TokenView {
  id: string;
  name: string;
  /** "kwt_Ab3x…wxyz" */
  masked: string;
  prefix: string;
  last4: string;
  scopes: ApiScope[];
  /** A person's token, or a team's (a service account of the team). */
  owner: { type: "user" | "team"; id: string; name: string; slug?: string };
  /** Who made it (for a team's token, the admin whose right it lives by). */
  issuedBy: { id: string; label: string } | null;
  createdAt: string;
  expiresAt: string | null;
  graceEndsAt: string | null;
  replacedById: string | null;
  lastUsedAt: string | null;
  status: "ACTIVE" | "EXPIRING" | "GRACE" | "EXPIRED" | "BLACKLISTED";
  blacklist: { reason: string; at: string; by: string; note: string | null } | null;
}

export function toTokenView(row: KeyRow, now = new Date()): TokenView {
  const key = toKeyView(row, now);
  const { type, id, name, slug } = key.owner;
  return {
    id: key.id,
    name: key.name,
    masked: key.masked,
    prefix: key.prefix,
    last4: key.last4,
    scopes: key.scopes as ApiScope[],
    owner: { type, id, name, ...(slug ? { slug } : {}) },
    issuedBy: key.issuedBy,
    createdAt: key.createdAt,
    expiresAt: key.expiresAt,
    graceEndsAt: key.graceEndsAt,
    replacedById: key.replacedById,
    lastUsedAt: key.lastUsedAt,
    status: key.status,
    blacklist: key.blacklist,
  };
}
