// Every key has exactly one owner: a person or a team (the database's CHECK "ApiKey_one_owner"
// says so too). Pure, so the API, the pages and the verify answer name owners the same way.
import { Prisma } from "@/lib/db/client";

export type KeyOwner = { type: "user"; id: string } | { type: "team"; id: string };

export interface KeyOwnerView {
  type: "user" | "team";
  id: string;
  /** A person's name (else address), or the team's name. */
  name: string;
  /** The team's URL slug (teams only). */
  slug?: string;
  /** The person's address (people only; a personal key is seen only by its owner and site admins). */
  email?: string;
}

interface OwnedRow {
  userId: string | null;
  teamId: string | null;
  user: { email: string; name: string | null; deletedAt: Date | null } | null;
  team: { name: string; slug: string } | null;
}

/** How a person is named on a key: their name, else their address; never a deleted one's. */
export const personLabel = (p: { email: string; name: string | null; deletedAt: Date | null }) =>
  p.deletedAt ? "a deleted account" : (p.name ?? p.email);

export function ownerOf(row: OwnedRow): KeyOwnerView {
  if (row.teamId) return { type: "team", id: row.teamId, name: row.team?.name ?? "a team", slug: row.team?.slug };
  const user = row.user;
  return {
    type: "user",
    id: row.userId!,
    name: user ? personLabel(user) : "unknown",
    ...(user && !user.deletedAt ? { email: user.email } : {}),
  };
}

/** The owner's condition on ApiKey. */
export function ownerWhere(owner: KeyOwner): Prisma.ApiKeyWhereInput {
  return owner.type === "team" ? { teamId: owner.id } : { userId: owner.id };
}

/**
 * Who answers for which keys, the same people reminders go to (lib/notify
 * notices-from-events.ts): their personal keys, every key of a team they own or administer, and
 * the team keys they issued while still a member. Read once per request (read/responsibility.ts),
 * so the conditions below name columns, not relations: an OR across the team and member joins
 * cannot use an index, and made every portal page's renewal banner read every key.
 */
export interface Responsibility {
  userId: string;
  /** Live teams the person owns or administers. */
  administered: string[];
  /** Live teams where the person is a plain member. */
  member: string[];
}

/** The keys a person is responsible for: the renewal banner counts these, `view=responsible` lists them. */
export function responsibleFor(r: Responsibility): Prisma.ApiKeyWhereInput {
  return {
    OR: [
      { userId: r.userId },
      ...(r.administered.length ? [{ teamId: { in: r.administered } }] : []),
      ...(r.member.length ? [{ teamId: { in: r.member }, issuedById: r.userId }] : []),
    ],
  };
}

/** responsibleFor in SQL, for the key aliased `k` (the chart's raw query). */
export function responsibleForSql(r: Responsibility): Prisma.Sql {
  const arms = [Prisma.sql`k."userId" = ${r.userId}`];
  if (r.administered.length) arms.push(Prisma.sql`k."teamId" IN (${Prisma.join(r.administered)})`);
  if (r.member.length)
    arms.push(Prisma.sql`(k."teamId" IN (${Prisma.join(r.member)}) AND k."issuedById" = ${r.userId})`);
  return Prisma.sql`(${Prisma.join(arms, " OR ")})`;
}

/** The columns that say who owns a new key. */
export function ownerColumns(owner: KeyOwner): { userId: string | null; teamId: string | null } {
  return owner.type === "team" ? { userId: null, teamId: owner.id } : { userId: owner.id, teamId: null };
}
