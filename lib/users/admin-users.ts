import "server-only";
import { z } from "zod";
import { zText } from "@/lib/api/text";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import { prisma, type Prisma } from "@/lib/db/client";
import { announceOwnerChange, forgetOwner } from "@/lib/db/owner-change";
import { KeywardError, notFound } from "@/lib/errors";
import { endSiteAdminRights } from "@/lib/rights/end-rights";
import { endAllSessions } from "./sessions";

export const ZListUsersQuery = z.strictObject({
  q: zText().trim().max(254).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type TListUsersQuery = z.input<typeof ZListUsersQuery>;

export const ZSetRoleRequest = z.strictObject({ role: z.enum(["USER", "ADMIN"]) });

export interface UserView {
  id: string;
  email: string;
  name: string | null;
  role: "USER" | "ADMIN";
  createdAt: string;
  emailVerified: boolean;
  github: boolean;
  /** Whether the account has a second factor (Admin → Users can reset it). */
  twoFactor: boolean;
  keys: number;
}

/** Admin: every account, newest first, searchable by email or name. */
export async function listUsers(rawQuery: TListUsersQuery) {
  const query = ZListUsersQuery.parse(rawQuery);
  const where: Prisma.UserWhereInput = {
    kind: "PERSON",
    ...(query.q
      ? { OR: [{ email: { contains: query.q.toLowerCase() } }, { name: { contains: query.q, mode: "insensitive" } }] }
      : {}),
  };
  const rows = await prisma.user.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    skip: (query.page - 1) * query.pageSize,
    take: query.pageSize + 1,
    select: {
      id: true,
      email: true,
      name: true,
      role: true,
      createdAt: true,
      emailVerifiedAt: true,
      accounts: { select: { provider: true } },
      totpFactor: { select: { confirmedAt: true } },
      _count: { select: { keys: true } },
    },
  });
  const items: UserView[] = rows.slice(0, query.pageSize).map((u) => ({
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    createdAt: u.createdAt.toISOString(),
    emailVerified: u.emailVerifiedAt !== null,
    github: u.accounts.some((a) => a.provider === "github"),
    twoFactor: Boolean(u.totpFactor?.confirmedAt),
    keys: u._count.keys,
  }));
  return { items, page: query.page, pageSize: query.pageSize, total: null, hasNext: rows.length > query.pageSize };
}

/**
 * Admin: makes a user an admin or not. Their sessions end (the role they carry is stale), and the
 * last admin cannot be demoted: someone must always be able to administer the site. byGroup: the
 * change comes from single sign-on's admin group, not from an admin.
 */
export async function setRole(
  targetId: string,
  role: "USER" | "ADMIN",
  actor: Actor,
  options: { byGroup?: boolean } = {},
): Promise<void> {
  await prisma.$transaction(async (tx) => {
    // Serialises role changes, so two admins demoting each other cannot leave none.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(74657101)`;
    const target = await tx.user.findUnique({
      where: { id: targetId, kind: "PERSON" },
      select: { id: true, role: true, email: true },
    });
    if (!target) throw notFound("No such user.");
    if (target.role === role)
      throw new KeywardError("CONFLICT", `This user is already ${role === "ADMIN" ? "an admin" : "not an admin"}.`);
    if (role === "USER" && (await tx.user.count({ where: { role: "ADMIN" } })) <= 1) {
      throw new KeywardError("CONFLICT", "This is the last admin. Make someone else an admin first.");
    }
    // adminByGroup: made an admin by single sign-on's admin group (lib/sso/admin-group.ts), so
    // leaving the group demotes them; a role set by hand is never undone by a group.
    await tx.user.update({
      where: { id: targetId },
      data: { role, adminByGroup: role === "ADMIN" && options.byGroup === true },
    });
    await recordAudit(tx, actor, "user.role_changed", null, {
      userId: targetId,
      email: target.email,
      role,
      ...(options.byGroup ? { byGroup: true } : {}),
    });
    if (role === "USER") await endSiteAdminRights(tx, { userId: targetId, ended: "demoted", who: target.email }, actor);
    // A verifier token's reach (every key, for an admin's) is cached per person: forget it everywhere.
    await announceOwnerChange(tx, targetId);
    await endAllSessions(tx, targetId, actor, "role changed");
  });
  forgetOwner(targetId);
}

/** Admin: ends every session of a user (a lost laptop, a departure). */
export async function signOutEverywhere(targetId: string, actor: Actor): Promise<void> {
  const exists = await prisma.user.count({ where: { id: targetId, kind: "PERSON" } });
  if (!exists) throw notFound("No such user.");
  await endAllSessions(prisma, targetId, actor, "signed out by an admin");
}
