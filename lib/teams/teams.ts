import "server-only";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { zText } from "@/lib/api/text";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import { Prisma, prisma } from "@/lib/db/client";
import { announceOwnerChange, forgetOwner } from "@/lib/db/owner-change";
import { forbidden, KeywardError, notFound } from "@/lib/errors";
import { eventsRecorded } from "@/lib/events/events-recorded";
import { revokeTeamTokens } from "@/lib/rights/revoke-tokens";
import { requireTeam, teamRoleOf } from "./membership";
import type { TeamRole } from "./roles";

export const ZCreateTeamRequest = z.strictObject({
  name: zText().trim().min(1, "Give the team a name").max(80),
  /** Lower-case letters, digits and dashes; made from the name when absent. */
  slug: zText()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, "2–40 lower-case letters, digits and dashes")
    .optional(),
});
export type TCreateTeamRequest = z.infer<typeof ZCreateTeamRequest>;

export const ZRenameTeamRequest = z.strictObject({ name: zText().trim().min(1).max(80) });

/** Teams one person may have created and still own, so nobody can fill the table. */
export const MAX_TEAMS_PER_USER = 50;

export interface TeamView {
  id: string;
  name: string;
  slug: string;
  createdAt: string;
  /** The caller's role (absent for site admins looking at a team they are not in). */
  role: TeamRole | null;
  members: number;
  activeKeys: number;
}

const slugify = (name: string) =>
  name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40) || "team";

/** Any signed-in user with a verified address creates a team and becomes its owner. */
export async function createTeam(
  user: { id: string; emailVerified: boolean; kind?: "PERSON" | "BOT" },
  input: TCreateTeamRequest,
  actor: Actor,
): Promise<TeamView> {
  if (user.kind === "BOT") throw forbidden("A team's API token cannot create teams.");
  if (!user.emailVerified) throw forbidden("Verify your email address before creating a team.");
  const owned = await prisma.teamMember.count({ where: { userId: user.id, role: "OWNER", team: { deletedAt: null } } });
  if (owned >= MAX_TEAMS_PER_USER) throw new KeywardError("CONFLICT", `You own ${MAX_TEAMS_PER_USER} teams already.`);
  const base = input.slug ?? slugify(input.name);
  for (let attempt = 0; attempt < 5; attempt++) {
    const slug = attempt === 0 ? base : `${base.slice(0, 33)}-${randomBytes(3).toString("hex")}`;
    try {
      const team = await prisma.$transaction(async (tx) => {
        const created = await tx.team.create({
          data: { name: input.name, slug, members: { create: { userId: user.id, role: "OWNER" } } },
        });
        await recordAudit(tx, actor, "team.created", null, { name: created.name, slug }, created.id);
        return created;
      });
      return {
        id: team.id,
        name: team.name,
        slug: team.slug,
        createdAt: team.createdAt.toISOString(),
        role: "OWNER",
        members: 1,
        activeKeys: 0,
      };
    } catch (error) {
      const taken = error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
      if (!taken) throw error;
      if (input.slug)
        throw new KeywardError("CONFLICT", `The address /${input.slug} is taken. Choose another.`, [
          { path: "slug", message: "taken" },
        ]);
    }
  }
  throw new KeywardError("CONFLICT", "Could not find a free address for this team. Give one.");
}

const activeKeysWhere = (now: Date): Prisma.ApiKeyWhereInput => ({
  kind: "KEY",
  blacklisted: { is: null },
  OR: [{ expiresAt: null }, { expiresAt: { gt: now } }],
  AND: [{ OR: [{ graceEndsAt: null }, { graceEndsAt: { gt: now } }] }],
});

async function viewOf(teamId: string, role: TeamRole | null): Promise<TeamView> {
  const team = await prisma.team.findFirst({ where: { id: teamId, deletedAt: null } });
  if (!team) throw notFound("No such team.");
  const [members, activeKeys] = await Promise.all([
    prisma.teamMember.count({ where: { teamId, user: { kind: "PERSON" } } }),
    prisma.apiKey.count({ where: { teamId, ...activeKeysWhere(new Date()) } }),
  ]);
  return {
    id: team.id,
    name: team.name,
    slug: team.slug,
    createdAt: team.createdAt.toISOString(),
    role,
    members,
    activeKeys,
  };
}

export async function listMyTeams(userId: string): Promise<TeamView[]> {
  const memberships = await prisma.teamMember.findMany({
    where: { userId, team: { deletedAt: null } },
    select: { teamId: true, role: true },
  });
  return Promise.all(memberships.map((m) => viewOf(m.teamId, m.role)));
}

export async function getTeam(userId: string, teamId: string): Promise<TeamView> {
  return viewOf(teamId, await requireTeam(userId, teamId, "view-keys"));
}

/** A team by its slug, for a member (404 for anyone else, like a team that does not exist). */
export async function teamBySlug(userId: string, slug: string): Promise<TeamView> {
  const team = await prisma.team.findFirst({ where: { slug, deletedAt: null }, select: { id: true } });
  if (!team) throw notFound("No such team.");
  return getTeam(userId, team.id);
}

/** The same for pages: null (the page answers 404) for a non-member or a missing team. */
export async function myTeamBySlug(userId: string, slug: string): Promise<TeamView | null> {
  const team = await prisma.team.findFirst({ where: { slug, deletedAt: null }, select: { id: true } });
  const role = team ? await teamRoleOf(userId, team.id) : null;
  return team && role ? viewOf(team.id, role) : null;
}

export async function renameTeam(userId: string, teamId: string, name: string, actor: Actor): Promise<TeamView> {
  const role = await requireTeam(userId, teamId, "rename");
  await prisma.$transaction(async (tx) => {
    const before = await tx.team.update({ where: { id: teamId }, data: { name } });
    await announceOwnerChange(tx, teamId);
    await recordAudit(tx, actor, "team.renamed", null, { name: before.name }, teamId);
  });
  forgetOwner(teamId);
  return viewOf(teamId, role);
}

/**
 * Deletes a team once none of its keys works any more (revoke them, or rotate them to another
 * owner first). The row stays, hidden, so its keys still answer REVOKED/EXPIRED until purged; its
 * members, invitations and webhooks go, and its slug is freed.
 */
export async function deleteTeam(userId: string, teamId: string, actor: Actor): Promise<void> {
  await requireTeam(userId, teamId, "delete-team");
  await prisma.$transaction(async (tx) => {
    const [locked] = await tx.$queryRaw<
      { slug: string }[]
    >`SELECT slug FROM "Team" WHERE id = ${teamId} AND "deletedAt" IS NULL FOR UPDATE`;
    if (!locked) throw notFound("No such team.");
    const working = await tx.apiKey.count({ where: { teamId, ...activeKeysWhere(new Date()) } });
    if (working > 0) {
      throw new KeywardError(
        "CONFLICT",
        `${working} of this team's keys still work. Revoke them, or rotate them to another owner, first.`,
      );
    }
    await tx.team.update({
      where: { id: teamId },
      data: { deletedAt: new Date(), slug: `${locked.slug}~deleted-${randomBytes(4).toString("hex")}` },
    });
    await tx.teamMember.deleteMany({ where: { teamId } });
    await tx.teamInvitation.updateMany({
      where: { teamId, acceptedAt: null, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    await tx.webhookEndpoint.deleteMany({ where: { teamId } });
    // Its API tokens die with it (they would act for nothing; their holders learn why).
    await revokeTeamTokens(tx, teamId, null, actor, "The team was deleted");
    await recordAudit(tx, actor, "team.deleted", null, { slug: locked.slug }, teamId);
    // Verifiers' standing (lib/tokens) is cached per owner: every instance forgets the team's.
    await announceOwnerChange(tx, teamId);
  });
  forgetOwner(teamId);
  eventsRecorded();
}

/** Site admins: every team, with its size (the Teams list). */
export async function listAllTeams(): Promise<(TeamView & { owners: string[] })[]> {
  const teams = await prisma.team.findMany({
    where: { deletedAt: null },
    orderBy: { name: "asc" },
    take: 500,
    select: { id: true, members: { where: { role: "OWNER" }, select: { user: { select: { email: true } } } } },
  });
  return Promise.all(
    teams.map(async (t) => ({ ...(await viewOf(t.id, null)), owners: t.members.map((m) => m.user.email) })),
  );
}
