import "server-only";
import { z } from "zod";
import { zText } from "@/lib/api/text";
import { prisma, type Prisma } from "@/lib/db/client";
import { env } from "@/lib/env";
import { KEY_VIEW_SELECT, toKeyView, type KeyView } from "./key-view";

export const KEY_TABS = ["active", "expiring", "blacklisted", "all"] as const;
export type KeyTab = (typeof KEY_TABS)[number];
export const KEY_SORTS = ["createdAt", "expiresAt", "name", "lastUsedAt"] as const;

export const ZListKeysQuery = z.strictObject({
  tab: z.enum(KEY_TABS).default("all"),
  q: zText().trim().max(100).optional(),
  sort: z.enum(KEY_SORTS).default("createdAt"),
  dir: z.enum(["asc", "desc"]).default("desc"),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type TListKeysQuery = z.input<typeof ZListKeysQuery>;
/** My keys opens on the Active tab. */
export const ZMyKeysQuery = ZListKeysQuery.extend({ tab: z.enum(KEY_TABS).default("active") });

export interface KeyPage {
  items: (KeyView & { ownerEmail?: string })[];
  page: number;
  pageSize: number;
  /** Counted for one owner's keys; null for admin lists, where COUNT(*) over every key is the slow part. */
  total: number | null;
  hasNext: boolean;
}

/** The tab's condition at an instant; "blacklisted" includes expired keys the sweep has not reached. */
export function tabWhere(tab: KeyTab, now: Date): Prisma.ApiKeyWhereInput {
  const active: Prisma.ApiKeyWhereInput = {
    blacklisted: { is: null },
    OR: [{ expiresAt: null }, { expiresAt: { gt: now } }],
    AND: [{ OR: [{ graceEndsAt: null }, { graceEndsAt: { gt: now } }] }],
  };
  switch (tab) {
    case "active":
      return active;
    case "expiring": {
      const windowEnd = new Date(now.getTime() + (env.EXPIRY_REMINDER_DAYS[0] ?? 7) * 86_400_000);
      return { ...active, expiresAt: { gt: now, lte: windowEnd } };
    }
    case "blacklisted":
      return { NOT: active };
    case "all":
      return {};
  }
}

/**
 * Owners a search term matches by address or name, found first in User's own trigram indexes:
 * the same condition inside the keys' WHERE (an OR across the join with User) makes PostgreSQL
 * read every key. null when more than OWNER_MATCH_LIMIT match (a term that common matches keys
 * on the first page anyway); the caller then keeps the join.
 */
const OWNER_MATCH_LIMIT = 1000;
async function matchingOwnerIds(q: string): Promise<string[] | null> {
  const owners = await prisma.user.findMany({
    where: { OR: [{ email: { contains: q.toLowerCase() } }, { name: { contains: q, mode: "insensitive" } }] },
    select: { id: true },
    take: OWNER_MATCH_LIMIT + 1,
  });
  return owners.length > OWNER_MATCH_LIMIT ? null : owners.map((o) => o.id);
}

/** Matches name, display prefix or last 4 characters; admins also search by owner email or name. */
async function searchWhere(q: string | undefined, includeOwner: boolean): Promise<Prisma.ApiKeyWhereInput> {
  if (!q) return {};
  const ownerIds = includeOwner ? await matchingOwnerIds(q) : [];
  return {
    OR: [
      { name: { contains: q, mode: "insensitive" } },
      { prefix: { startsWith: q } },
      { last4: q },
      ...(ownerIds === null ? [{ user: { email: { contains: q.toLowerCase() } } }] : ownerIds.length > 0 ? [{ userId: { in: ownerIds } }] : []),
    ],
  };
}

function orderBy(sort: (typeof KEY_SORTS)[number], dir: "asc" | "desc"): Prisma.ApiKeyOrderByWithRelationInput[] {
  const primary: Prisma.ApiKeyOrderByWithRelationInput =
    sort === "expiresAt" || sort === "lastUsedAt" ? { [sort]: { sort: dir, nulls: "last" } } : { [sort]: dir };
  return [primary, { id: "asc" }];
}

export async function listKeys(
  scope: { ownerId: string } | { admin: true },
  rawQuery: TListKeysQuery,
): Promise<KeyPage> {
  const query = ZListKeysQuery.parse(rawQuery);
  const now = new Date();
  const where: Prisma.ApiKeyWhereInput = {
    AND: [
      "ownerId" in scope ? { userId: scope.ownerId } : {},
      tabWhere(query.tab, now),
      await searchWhere(query.q, !("ownerId" in scope)),
    ],
  };
  const admin = !("ownerId" in scope);
  // One extra row tells whether a next page exists without counting the whole table.
  const [rows, total] = await Promise.all([
    prisma.apiKey.findMany({
      where,
      select: { ...KEY_VIEW_SELECT, ...(admin ? { user: { select: { email: true } } } : {}) },
      orderBy: orderBy(query.sort, query.dir),
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize + 1,
    }),
    admin ? Promise.resolve(null) : prisma.apiKey.count({ where }),
  ]);
  const items = rows.slice(0, query.pageSize).map((row) => ({
    ...toKeyView(row, now),
    ...("user" in row && row.user ? { ownerEmail: (row.user as { email: string }).email } : {}),
  }));
  return { items, page: query.page, pageSize: query.pageSize, total, hasNext: rows.length > query.pageSize };
}
