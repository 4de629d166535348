import "server-only";
import { z } from "zod";
import { zId } from "@/lib/api/text";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import { prisma, type Tx } from "@/lib/db/client";
import { announceOwnerChange, forgetOwner } from "@/lib/db/owner-change";
import { forbidden, KeywardError, notFound } from "@/lib/errors";
import { eventsRecorded } from "@/lib/events/events-recorded";
import { endTeamRights } from "@/lib/rights/end-rights";
import { requireTeam } from "./membership";
import { TEAM_ROLES, teamCan, type TeamRole } from "./roles";

export const ZMemberParams = z.object({ id: zId, userId: zId });

export const ZChangeRoleRequest = z.strictObject({ role: z.enum(TEAM_ROLES) });

export interface MemberView {
  userId: string;
  email: string;
  name: string | null;
  role: TeamRole;
  joinedAt: string;
}

export async function listMembers(userId: string, teamId: string): Promise<MemberView[]> {
  await requireTeam(userId, teamId, "view-keys");
  const rows = await prisma.teamMember.findMany({
    // The team's service account (its API tokens' member, lib/tokens) is no person of the team.
    where: { teamId, user: { kind: "PERSON" } },
    orderBy: [{ role: "asc" }, { joinedAt: "asc" }],
    select: { role: true, joinedAt: true, user: { select: { id: true, email: true, name: true } } },
  });
  return rows.map((r) => ({
    userId: r.user.id,
    email: r.user.email,
    name: r.user.name,
    role: r.role,
    joinedAt: r.joinedAt.toISOString(),
  }));
}

/**
 * Locks the team's memberships for the rest of the transaction, so two owners demoting each
 * other at once cannot leave the team without one.
 */
async function lockTeam(tx: Tx, teamId: string): Promise<void> {
  const [team] = await tx.$queryRaw<
    { id: string }[]
  >`SELECT id FROM "Team" WHERE id = ${teamId} AND "deletedAt" IS NULL FOR UPDATE`;
  if (!team) throw notFound("No such team.");
}

async function ownersLeft(tx: Tx, teamId: string, except: string): Promise<number> {
  return tx.teamMember.count({ where: { teamId, role: "OWNER", userId: { not: except } } });
}

/** Owners change roles; a team always keeps at least one owner. */
export async function changeRole(
  userId: string,
  teamId: string,
  memberId: string,
  role: TeamRole,
  actor: Actor,
): Promise<MemberView> {
  await requireTeam(userId, teamId, "change-role");
  await prisma.$transaction(async (tx) => {
    await lockTeam(tx, teamId);
    const member = await tx.teamMember.findUnique({
      where: { teamId_userId: { teamId, userId: memberId } },
      include: { user: { select: { email: true, kind: true } } },
    });
    if (!member || member.user.kind !== "PERSON") throw notFound("No such member.");
    if (member.role === role) return;
    if (member.role === "OWNER" && (await ownersLeft(tx, teamId, memberId)) === 0) {
      throw new KeywardError("CONFLICT", "A team keeps at least one owner: make someone else an owner first.");
    }
    await tx.teamMember.update({ where: { teamId_userId: { teamId, userId: memberId } }, data: { role } });
    await recordAudit(tx, actor, "team.role_changed", null, { userId: memberId, from: member.role, to: role }, teamId);
    await endTeamRights(tx, { teamId, userId: memberId, role, ended: "demoted", who: member.user.email }, actor);
    // Verifiers' standing (lib/tokens) is cached per person: every instance forgets theirs.
    await announceOwnerChange(tx, memberId);
  });
  forgetOwner(memberId);
  eventsRecorded();
  return (await listMembers(userId, teamId)).find((m) => m.userId === memberId)!;
}

/**
 * Removes a member (admins remove members and admins, owners anyone), or lets someone leave.
 * Their access ends at their next request; the keys they issued stay the team's and keep working.
 */
export async function removeMember(userId: string, teamId: string, memberId: string, actor: Actor): Promise<void> {
  const self = userId === memberId;
  const role = self
    ? await requireTeam(userId, teamId, "view-keys")
    : await requireTeam(userId, teamId, "remove-member");
  await prisma.$transaction(async (tx) => {
    await lockTeam(tx, teamId);
    const member = await tx.teamMember.findUnique({
      where: { teamId_userId: { teamId, userId: memberId } },
      include: { user: { select: { email: true, kind: true } } },
    });
    if (!member || member.user.kind !== "PERSON") throw notFound("No such member.");
    if (!self && member.role === "OWNER" && !teamCan(role, "remove-owner"))
      throw forbidden("Only an owner can remove an owner.");
    if (member.role === "OWNER" && (await ownersLeft(tx, teamId, memberId)) === 0) {
      throw new KeywardError(
        "CONFLICT",
        self
          ? "You are the last owner: make someone else an owner, or delete the team."
          : "A team keeps at least one owner.",
      );
    }
    await tx.teamMember.delete({ where: { teamId_userId: { teamId, userId: memberId } } });
    await recordAudit(
      tx,
      actor,
      self ? "team.member_left" : "team.member_removed",
      null,
      { userId: memberId, role: member.role },
      teamId,
    );
    await endTeamRights(tx, { teamId, userId: memberId, role: null, ended: "removed", who: member.user.email }, actor);
    await announceOwnerChange(tx, memberId);
  });
  forgetOwner(memberId);
  eventsRecorded();
}
