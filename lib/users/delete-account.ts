import "server-only";
import { z } from "zod";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import { prisma } from "@/lib/db/client";
import { announceOwnerChange, forgetOwner } from "@/lib/db/owner-change";
import { KeywardError } from "@/lib/errors";
import { eventsRecorded } from "@/lib/events/events-recorded";
import { forgetKeys, revokeOwnerKeys } from "@/lib/keys/change/revoke-owner-keys";
import { endSiteAdminRights, endTeamRights } from "@/lib/rights/end-rights";
import { removeSecondFactors } from "@/lib/second-factor";

export const ZDeleteAccountRequest = z.strictObject({
  /** The account's address, typed again: the confirmation. */
  confirmEmail: z.string().max(254),
});

export const ACCOUNT_DELETED_NOTE = "owner account deleted";

/**
 * Deletes the signed-in person's account. Their personal keys are blacklisted as REVOKED ("owner
 * account deleted") and refused everywhere at once; the team keys they issued keep working (they
 * are the team's). Refused while they are the last owner of a team. The row stays, anonymised,
 * so those keys can still say "issued by a deleted account" and the audit trail keeps its ids;
 * the address is freed, sign-in methods go, and every session ends.
 */
export async function deleteAccount(
  userId: string,
  confirmEmail: string,
  actor: Actor,
): Promise<{ revokedKeys: number }> {
  let revoked: string[] = [];
  await prisma.$transaction(async (tx) => {
    const [user] = await tx.$queryRaw<
      { email: string }[]
    >`SELECT email FROM "User" WHERE id = ${userId} AND "deletedAt" IS NULL FOR UPDATE`;
    if (!user) throw new KeywardError("NOT_FOUND", "No such account.");
    if (confirmEmail.trim().toLowerCase() !== user.email) {
      throw new KeywardError("UNPROCESSABLE", "Type your email address exactly to confirm.", [
        { path: "confirmEmail", message: "does not match" },
      ]);
    }
    // The teams this person alone owns would be left without an owner: refuse, naming them.
    // (Locking the memberships' teams keeps another owner from leaving at the same moment.)
    const sole = await tx.$queryRaw<{ name: string }[]>`
      SELECT t.name FROM "TeamMember" m JOIN "Team" t ON t.id = m."teamId"
      WHERE m."userId" = ${userId} AND m.role = 'OWNER' AND t."deletedAt" IS NULL
        AND NOT EXISTS (SELECT 1 FROM "TeamMember" o WHERE o."teamId" = m."teamId" AND o.role = 'OWNER' AND o."userId" <> ${userId})
      ORDER BY t.name FOR UPDATE OF t`;
    if (sole.length > 0) {
      throw new KeywardError(
        "CONFLICT",
        `You are the last owner of ${sole.map((t) => `“${t.name}”`).join(", ")}. Make someone else an owner, or delete the team, first.`,
      );
    }
    revoked = await revokeOwnerKeys(tx, userId, actor, ACCOUNT_DELETED_NOTE);
    const teams = await tx.teamMember.findMany({ where: { userId }, select: { teamId: true, role: true } });
    for (const m of teams)
      await recordAudit(tx, actor, "team.member_left", null, { userId, role: m.role, accountDeleted: true }, m.teamId);
    await tx.teamMember.deleteMany({ where: { userId } });
    await tx.webhookEndpoint.deleteMany({ where: { userId } });
    await tx.account.deleteMany({ where: { userId } });
    await tx.passkey.deleteMany({ where: { userId } });
    await removeSecondFactors(tx, userId);
    await tx.emailToken.deleteMany({ where: { userId } });
    // Where and from what the person signed in goes with the account (lib/sessions).
    await tx.userSession.deleteMany({ where: { userId } });
    await tx.knownDevice.deleteMany({ where: { userId } });
    await tx.user.update({
      where: { id: userId },
      data: {
        deletedAt: new Date(),
        email: `deleted-${userId}@deleted.invalid`,
        name: null,
        passwordHash: null,
        emailVerifiedAt: null,
        role: "USER",
        sessionVersion: { increment: 1 },
        emailReminders: false,
        emailExpired: false,
        emailBlacklisted: false,
      },
    });
    // After the row is anonymised, so the departing admin is not among those told.
    for (const m of teams)
      await endTeamRights(
        tx,
        { teamId: m.teamId, userId, role: null, ended: "account-deleted", who: user.email },
        actor,
      );
    await endSiteAdminRights(tx, { userId, ended: "account-deleted", who: user.email }, actor);
    await announceOwnerChange(tx, userId);
    // Mail not sent yet would go to an address that no longer has an account here.
    await tx.emailMessage.updateMany({
      where: { userId, status: { in: ["PENDING", "FAILED"] } },
      data: { status: "STORED", lastError: "account deleted" },
    });
    // Which account: the actor is not always its owner (npm run db:remove-demo).
    await recordAudit(tx, actor, "user.account_deleted", null, {
      userId,
      revokedKeys: revoked.length,
      teamsLeft: teams.length,
    });
  });
  forgetKeys(revoked);
  forgetOwner(userId);
  // Its keys and tokens, and the team tokens it made, were revoked with events.
  eventsRecorded();
  return { revokedKeys: revoked.length };
}
