import "server-only";
import { prisma } from "@/lib/db/client";
import { forbidden, notFound } from "@/lib/errors";
import { teamCan, type TeamAction, type TeamRole } from "./roles";

/**
 * The user's role in a team that exists, or null. Read from the database on every request, so a
 * member removed on one instance is refused on every instance at their next request.
 */
export async function teamRoleOf(userId: string, teamId: string): Promise<TeamRole | null> {
  const row = await prisma.teamMember.findFirst({
    where: { teamId, userId, team: { deletedAt: null } },
    select: { role: true },
  });
  return row?.role ?? null;
}

/**
 * Asserts the user may do `action` in the team. Someone who is not a member gets a 404 exactly
 * like a team that does not exist (ids cannot be probed); a member without the role, a 403.
 */
export async function requireTeam(userId: string, teamId: string, action: TeamAction): Promise<TeamRole> {
  const role = await teamRoleOf(userId, teamId);
  if (!role) throw notFound("No such team.");
  if (!teamCan(role, action)) throw forbidden("Your role in this team does not allow that.");
  return role;
}

/** The teams a user belongs to, with their role (for the context switcher and the issue dialog). */
export async function myTeams(userId: string): Promise<{ id: string; name: string; slug: string; role: TeamRole }[]> {
  const rows = await prisma.teamMember.findMany({
    where: { userId, team: { deletedAt: null } },
    select: { role: true, team: { select: { id: true, name: true, slug: true } } },
    orderBy: { team: { name: "asc" } },
  });
  return rows.map((r) => ({ ...r.team, role: r.role }));
}
