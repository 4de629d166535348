import "server-only";
import { z } from "zod";
import { zId, zText } from "@/lib/api/text";
import { prisma, type Prisma } from "@/lib/db/client";
import { expiringSoonWhere, workingWhere } from "../expiring-soon";
import { ownerWhere, responsibleFor, type KeyOwner } from "../key-owner";
import { responsibilityOf } from "./responsibility";
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
/**
 * `view=responsible`: every key the person is responsible for (key-owner.ts responsibleFor), their
 * own and their teams' alike; the renewal banner counts these and links to them.
 */
const ZView = z.enum(["responsible"]).optional();
/** My keys opens on the Active tab. */
export const ZMyKeysQuery = ZListKeysQuery.extend({ tab: z.enum(KEY_TABS).default("active"), view: ZView });
/** Site admins filter by owner: every person's or every team's keys, or one person's or team's. */
export const ZAdminKeysQuery = ZListKeysQuery.extend({
  ownerType: z.enum(["user", "team"]).optional(),
  user: zId.optional(),
  team: zId.optional(),
});
export type TAdminKeysQuery = z.input<typeof ZAdminKeysQuery>;

/** GET /api/v1/keys: your keys, a team's (`team`: its id), or every key you are responsible for (`view=responsible`). */
export const ZKeysQuery = ZListKeysQuery.extend({ team: zId.optional(), view: ZView }).refine(
  (q) => !(q.team && q.view),
  {
    message: "Give team or view=responsible, not both.",
    path: ["view"],
  },
);

/**
 * Whose keys a person's list shows: one owner's (personal, or a team's the caller may see), or
 * every key they are responsible for.
 */
export type PersonScope = { owner: KeyOwner } | { responsible: string };

export async function personScopeWhere(scope: PersonScope): Promise<Prisma.ApiKeyWhereInput> {
  return "owner" in scope ? ownerWhere(scope.owner) : responsibleFor(await responsibilityOf(scope.responsible));
}

export interface KeyPage {
  items: KeyView[];
  page: number;
  pageSize: number;
  /** Counted for one owner's keys; null for admin lists, where COUNT(*) over every key is the slow part. */
  total: number | null;
  hasNext: boolean;
}

/**
 * The tab's condition at an instant; "blacklisted" includes expired keys the sweep has not reached,
 * and "expiring" is expiring-soon.ts's definition, the banner's and the reminders'.
 * Keys only: API tokens share the table (lib/tokens) and are listed on their own pages.
 */
export function tabWhere(tab: KeyTab, now: Date): Prisma.ApiKeyWhereInput {
  const active: Prisma.ApiKeyWhereInput = { kind: "KEY", ...workingWhere(now) };
  switch (tab) {
    case "active":
      return active;
    case "expiring":
      return { kind: "KEY", ...expiringSoonWhere(now) };
    case "blacklisted":
      return { kind: "KEY", NOT: active };
    case "all":
      return { kind: "KEY" };
  }
}

/**
 * Owners a search term matches (people by address or name, teams by name), found first in their
 * own trigram indexes: the same condition inside the keys' WHERE (an OR across the joins) makes
 * PostgreSQL read every key. null when more than OWNER_MATCH_LIMIT match (a term that common
 * matches keys on the first page anyway); the caller then keeps the joins.
 */
const OWNER_MATCH_LIMIT = 1000;
async function matchingOwnerIds(q: string): Promise<{ users: string[]; teams: string[] } | null> {
  const [users, teams] = await Promise.all([
    prisma.user.findMany({
      where: { OR: [{ email: { contains: q.toLowerCase() } }, { name: { contains: q, mode: "insensitive" } }] },
      select: { id: true },
      take: OWNER_MATCH_LIMIT + 1,
    }),
    prisma.team.findMany({
      where: { name: { contains: q, mode: "insensitive" } },
      select: { id: true },
      take: OWNER_MATCH_LIMIT + 1,
    }),
  ]);
  if (users.length > OWNER_MATCH_LIMIT || teams.length > OWNER_MATCH_LIMIT) return null;
  return { users: users.map((o) => o.id), teams: teams.map((t) => t.id) };
}

function ownerSearch(q: string, owners: { users: string[]; teams: string[] } | null): Prisma.ApiKeyWhereInput[] {
  if (owners === null)
    return [
      { user: { email: { contains: q.toLowerCase() } } },
      { team: { name: { contains: q, mode: "insensitive" } } },
    ];
  return [
    ...(owners.users.length ? [{ userId: { in: owners.users } }] : []),
    ...(owners.teams.length ? [{ teamId: { in: owners.teams } }] : []),
  ];
}

/** What a search term matches, split: the key's own columns, and its owner (admins only). */
interface Search {
  keyArms: Prisma.ApiKeyWhereInput[];
  /** Empty when owners are not searched or none matched. */
  ownerArms: Prisma.ApiKeyWhereInput[];
}

/** Matches name, display prefix or last 4 characters; admins also search by owner (address, name, team name). */
async function search(q: string | undefined, includeOwner: boolean): Promise<Search | null> {
  if (!q) return null;
  const owners = includeOwner ? await matchingOwnerIds(q) : null;
  return {
    keyArms: [{ name: { contains: q, mode: "insensitive" } }, { prefix: { startsWith: q } }, { last4: q }],
    ownerArms: includeOwner ? ownerSearch(q, owners) : [],
  };
}

/**
 * Past this many rows before the page's end, a search with owner matches is one query again:
 * the split below fetches that many ids per arm.
 */
const SPLIT_SEARCH_MAX_ROWS = 2000;

function adminOwnerWhere(query: z.output<typeof ZAdminKeysQuery>): Prisma.ApiKeyWhereInput {
  if (query.user) return { userId: query.user };
  if (query.team) return { teamId: query.team };
  if (query.ownerType === "user") return { userId: { not: null } };
  if (query.ownerType === "team") return { teamId: { not: null } };
  return {};
}

function orderBy(sort: (typeof KEY_SORTS)[number], dir: "asc" | "desc"): Prisma.ApiKeyOrderByWithRelationInput[] {
  const primary: Prisma.ApiKeyOrderByWithRelationInput =
    sort === "expiresAt" || sort === "lastUsedAt" ? { [sort]: { sort: dir, nulls: "last" } } : { [sort]: dir };
  return [primary, { id: "asc" }];
}

/**
 * A search that matched owners, as the page of two searches: the keys whose own columns match, and
 * the matched owners' keys. Asked as one `OR`, PostgreSQL estimates the owner arm at the owners'
 * share of all keys, walks the sort's index expecting them soon, and reads every newer key first
 * when their keys are old (≈ 1 s at 1,000,000 keys). Apart, each arm has an index made for it
 * (trigrams; `(userId, createdAt)`), and the page is the first rows of their union in the same order.
 */
async function splitSearch(
  base: Prisma.ApiKeyWhereInput[],
  found: Search,
  order: Prisma.ApiKeyOrderByWithRelationInput[],
  skip: number,
  take: number,
) {
  const firstRows = (arms: Prisma.ApiKeyWhereInput[]) =>
    prisma.apiKey.findMany({
      where: { AND: [...base, { OR: arms }] },
      select: { id: true },
      orderBy: order,
      take: skip + take,
    });
  const [byKey, byOwner] = await Promise.all([firstRows(found.keyArms), firstRows(found.ownerArms)]);
  const ids = [...new Set([...byKey, ...byOwner].map((row) => row.id))];
  // The filters again: a key revoked between these queries must not show on the Active tab.
  return prisma.apiKey.findMany({
    where: { AND: [...base, { id: { in: ids } }] },
    select: KEY_VIEW_SELECT,
    orderBy: order,
    skip,
    take,
  });
}

/**
 * One owner's keys (the caller has checked the person may see them), the keys a person is
 * responsible for, or every key for site admins, filtered by owner.
 */
export async function listKeys(scope: PersonScope | { admin: true }, rawQuery: TAdminKeysQuery): Promise<KeyPage> {
  const admin = "admin" in scope;
  const query = admin ? ZAdminKeysQuery.parse(rawQuery) : ZListKeysQuery.parse(rawQuery);
  const now = new Date();
  const base: Prisma.ApiKeyWhereInput[] = [
    "admin" in scope ? adminOwnerWhere(query) : await personScopeWhere(scope),
    tabWhere(query.tab, now),
  ];
  const found = await search(query.q, admin);
  const where: Prisma.ApiKeyWhereInput = {
    AND: [...base, ...(found ? [{ OR: [...found.keyArms, ...found.ownerArms] }] : [])],
  };
  const skip = (query.page - 1) * query.pageSize;
  const take = query.pageSize + 1; // one extra row tells whether a next page exists without counting
  const order = orderBy(query.sort, query.dir);
  const [rows, total] = await Promise.all([
    found?.ownerArms.length && skip + take <= SPLIT_SEARCH_MAX_ROWS
      ? splitSearch(base, found, order, skip, take)
      : prisma.apiKey.findMany({ where, select: KEY_VIEW_SELECT, orderBy: order, skip, take }),
    admin ? Promise.resolve(null) : prisma.apiKey.count({ where }),
  ]);
  const items = rows.slice(0, query.pageSize).map((row) => toKeyView(row, now));
  return { items, page: query.page, pageSize: query.pageSize, total, hasNext: rows.length > query.pageSize };
}

/** "team Payments" or "ann@example.com" for a ?team= or ?user= filter. */
export async function ownerFilterLabel(user: string | undefined, team: string | undefined): Promise<string | null> {
  if (team) {
    const found = await prisma.team.findUnique({ where: { id: team }, select: { name: true } });
    return found ? `team ${found.name}` : "a team that does not exist";
  }
  if (user) {
    const found = await prisma.user.findUnique({ where: { id: user }, select: { email: true } });
    return found?.email ?? "a person who does not exist";
  }
  return null;
}
