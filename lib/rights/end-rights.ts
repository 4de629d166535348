import "server-only";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import type { Prisma, Tx } from "@/lib/db/client";
import type { TeamRole } from "@/lib/db/generated/enums";
import { CREATOR_LOST_ACCESS } from "@/lib/notify/notice-text";
import { revokeTeamTokens } from "./revoke-tokens";

// What a person set up for a team or for the site acts for them only while they keep the right
// to set it up (PRODUCT rule 13). When that right ends (removal from the team, a demotion, the
// account deleted) the change's own transaction calls these: the webhook endpoints they made stop
// at once, with an audit event, and whoever looks after them now is told, so they can make it
// again under their own name (with a secret the departed person never saw); the team API tokens
// they made (whose plaintext they saw) are revoked; the invitations they sent that they could no
// longer send are revoked. Deliveries and acceptance check again when they
// happen, for whatever slips between a removal and this (lib/webhooks, lib/teams/invitations).

/** Why a person's right ended, in the words the notice and the endpoint's page use. */
export type RightEnded = "removed" | "demoted" | "account-deleted";

const ADMINS: TeamRole[] = ["OWNER", "ADMIN"];

export interface EndpointRef {
  id: string;
  url: string;
  userId: string | null;
  teamId: string | null;
}

/**
 * Who looks after an endpoint now: its owner (a personal one), the team's owners and admins, or
 * the site's admins (a global one); never a deleted account.
 */
export async function endpointStewards(
  tx: Tx,
  endpoint: Pick<EndpointRef, "userId" | "teamId">,
): Promise<{ id: string; emailVerifiedAt: Date | null }[]> {
  const where: Prisma.UserWhereInput = endpoint.teamId
    ? { memberships: { some: { teamId: endpoint.teamId, role: { in: ADMINS } } } }
    : endpoint.userId
      ? { id: endpoint.userId }
      : { role: "ADMIN" };
  return tx.user.findMany({
    where: { ...where, deletedAt: null, kind: "PERSON" },
    select: { id: true, emailVerifiedAt: true },
  });
}

/** A WEBHOOK_DISABLED notice (and its email, for verified addresses) to each of the endpoint's stewards. */
export async function noticeEndpointDisabled(
  tx: Tx,
  endpoint: EndpointRef,
  notice: { reason: string | null; note: string; at: Date },
): Promise<void> {
  const stewards = await endpointStewards(tx, endpoint);
  if (stewards.length === 0) return;
  await tx.notification.createMany({
    data: stewards.map((s) => ({
      userId: s.id,
      kind: "WEBHOOK_DISABLED" as const,
      keyName: endpoint.url,
      keyMasked: "",
      reason: notice.reason,
      note: notice.note.slice(0, 200),
      dedupeKey: `webhook-disabled:${endpoint.id}:${notice.at.getTime()}:${s.id}`,
      emailStatus: s.emailVerifiedAt ? ("PENDING" as const) : ("SKIPPED" as const),
    })),
    skipDuplicates: true,
  });
}

function why(ended: RightEnded, who: string, where: "team" | "site"): string {
  if (ended === "account-deleted") return "Its creator deleted their account";
  if (where === "site") return `Its creator (${who}) is no longer a site admin`;
  return ended === "removed"
    ? `Its creator (${who}) is no longer a member of the team`
    : `Its creator (${who}) is no longer an admin of the team`;
}

async function disableEndpoints(
  tx: Tx,
  where: Prisma.WebhookEndpointWhereInput,
  reason: string,
  actor: Actor,
): Promise<void> {
  const endpoints = await tx.webhookEndpoint.findMany({
    where: { ...where, enabled: true },
    select: { id: true, url: true, userId: true, teamId: true, createdById: true },
  });
  const now = new Date();
  for (const endpoint of endpoints) {
    await tx.webhookEndpoint.update({
      where: { id: endpoint.id },
      data: { enabled: false, disabledAt: now, disabledReason: reason },
    });
    await recordAudit(
      tx,
      actor,
      "webhook.disabled",
      null,
      { endpointId: endpoint.id, url: endpoint.url, reason, createdById: endpoint.createdById },
      endpoint.teamId,
    );
    await noticeEndpointDisabled(tx, endpoint, { reason: CREATOR_LOST_ACCESS, note: reason, at: now });
  }
}

/**
 * `userId`'s role in the team became `role` (null: they left or were removed, or their account is
 * going). Call after the membership changed, in the same transaction; then eventsRecorded() once
 * it commits (revoked tokens have events).
 */
export async function endTeamRights(
  tx: Tx,
  change: { teamId: string; userId: string; role: TeamRole | null; ended: RightEnded; who: string },
  actor: Actor,
): Promise<void> {
  const { teamId, userId, role } = change;
  if (role === null || !ADMINS.includes(role)) {
    const reason = why(change.ended, change.who, "team");
    await disableEndpoints(tx, { teamId, createdById: userId }, reason, actor);
    await revokeTeamTokens(tx, teamId, userId, actor, reason.replace(/^Its creator/, "Its maker"));
  }
  // An invitation can only be sent by an admin, and an owner's only by an owner.
  const invitable: TeamRole[] = role === "OWNER" ? [] : role === "ADMIN" ? ["OWNER"] : ["OWNER", "ADMIN", "MEMBER"];
  if (invitable.length === 0) return;
  const pending = await tx.teamInvitation.findMany({
    where: { teamId, invitedById: userId, role: { in: invitable }, acceptedAt: null, revokedAt: null },
    select: { id: true, email: true, role: true },
  });
  if (pending.length === 0) return;
  await tx.teamInvitation.updateMany({
    where: { id: { in: pending.map((p) => p.id) } },
    data: { revokedAt: new Date() },
  });
  for (const invitation of pending) {
    await recordAudit(
      tx,
      actor,
      "team.invitation_revoked",
      null,
      {
        invitationId: invitation.id,
        email: invitation.email,
        role: invitation.role,
        reason: "the inviter lost the right to invite",
      },
      teamId,
    );
  }
}

/** `userId` is no longer a site admin (demoted, or their account is going): their global endpoints stop. */
export async function endSiteAdminRights(
  tx: Tx,
  change: { userId: string; ended: RightEnded; who: string },
  actor: Actor,
): Promise<void> {
  await disableEndpoints(
    tx,
    { userId: null, teamId: null, createdById: change.userId },
    why(change.ended, change.who, "site"),
    actor,
  );
}
