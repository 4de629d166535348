import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { zId } from "@/lib/api/text";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import { Prisma, prisma, type Tx } from "@/lib/db/client";
import { env } from "@/lib/env";
import { forbidden, KeywardError, notFound } from "@/lib/errors";
import { escapeHtml } from "@/lib/notify/render-email";
import { queueAccountEmail, sendSoon } from "@/lib/notify/account-emails";
import { requireTeam } from "./membership";
import { TEAM_ROLES, teamCan, type TeamRole } from "./roles";

// Invitations by email, with a role, through the same outbox as every other email. The link
// carries a token (stored hashed) and is good for 7 days; it is accepted by a signed-in user
// whose verified address is the one invited.

export const INVITATION_TTL_MS = 7 * 24 * 3_600_000;
/** Pending invitations a team may have at once. */
export const MAX_PENDING_INVITATIONS = 100;

export const ZInviteRequest = z.strictObject({
  email: z
    .email("Enter a valid email address")
    .max(254)
    .transform((e) => e.toLowerCase()),
  role: z.enum(TEAM_ROLES).default("MEMBER"),
});
export type TInviteRequest = z.input<typeof ZInviteRequest>;

export interface InvitationView {
  id: string;
  email: string;
  role: TeamRole;
  createdAt: string;
  expiresAt: string;
  invitedBy: string;
}

const hash = (token: string) => createHash("sha256").update(token).digest("hex");

export async function listInvitations(userId: string, teamId: string): Promise<InvitationView[]> {
  await requireTeam(userId, teamId, "invite");
  const rows = await prisma.teamInvitation.findMany({
    where: { teamId, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
    orderBy: { createdAt: "desc" },
  });
  const inviters = new Map(
    (
      await prisma.user.findMany({
        where: { id: { in: rows.map((r) => r.invitedById) } },
        select: { id: true, email: true },
      })
    ).map((u) => [u.id, u.email]),
  );
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    role: r.role,
    createdAt: r.createdAt.toISOString(),
    expiresAt: r.expiresAt.toISOString(),
    invitedBy: inviters.get(r.invitedById) ?? "a former member",
  }));
}

/** An admin invites by email with a role (owners may invite owners); the email goes at once. */
/**
 * `inviter`: whose right the invitation lives by (the caller, or for a team's API token the admin
 * who made that token).
 */
export async function invite(
  userId: string,
  teamId: string,
  request: TInviteRequest,
  actor: Actor,
  inviter = userId,
): Promise<InvitationView> {
  const input = ZInviteRequest.parse(request);
  const role = await requireTeam(userId, teamId, "invite");
  if (input.role === "OWNER" && !teamCan(role, "invite-owner")) throw forbidden("Only an owner can invite an owner.");
  const token = randomBytes(32).toString("base64url");
  const now = new Date();
  const { invitation, emailId } = await prisma.$transaction(async (tx) => {
    const team = await tx.team.findUniqueOrThrow({ where: { id: teamId }, select: { name: true } });
    const alreadyMember = await tx.teamMember.count({ where: { teamId, user: { email: input.email } } });
    if (alreadyMember) throw new KeywardError("CONFLICT", `${input.email} is already a member.`);
    if (
      (await tx.teamInvitation.count({
        where: { teamId, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
      })) >= MAX_PENDING_INVITATIONS
    ) {
      throw new KeywardError("CONFLICT", `At most ${MAX_PENDING_INVITATIONS} pending invitations. Revoke some first.`);
    }
    // A new invitation to the same address replaces a pending one.
    await tx.teamInvitation.updateMany({
      where: { teamId, email: input.email, acceptedAt: null, revokedAt: null },
      data: { revokedAt: now },
    });
    const created = await tx.teamInvitation.create({
      data: {
        teamId,
        email: input.email,
        role: input.role,
        tokenHash: hash(token),
        invitedById: inviter,
        expiresAt: new Date(now.getTime() + INVITATION_TTL_MS),
      },
    });
    await recordAudit(tx, actor, "team.member_invited", null, { email: input.email, role: input.role }, teamId);
    const link = `${env.APP_URL}/invitations/${token}`;
    const text = [
      "Hello,",
      "",
      `${actor.label} invited you to join the team "${team.name}" on Keyward as ${input.role.toLowerCase()}.`,
      "Sign in (or create an account) with this address, verify it, and open the link to accept. It works for 7 days.",
      "",
      `Accept: ${link}`,
      "",
      "— Keyward",
    ].join("\n");
    const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#18181b;line-height:1.5">
<p>Hello,</p><p>${escapeHtml(actor.label)} invited you to join the team “${escapeHtml(team.name)}” on Keyward as ${input.role.toLowerCase()}.</p>
<p>Sign in (or create an account) with this address, verify it, and open the link to accept. It works for 7 days.</p>
<p><a href="${escapeHtml(link)}">Accept the invitation</a></p><p>— Keyward</p></body></html>`;
    // Invitations go to an address that may have no account yet: the email is the invitee's.
    const emailId = await queueAccountEmail(tx, inviter, input.email, "TEAM_INVITATION", {
      subject: `[Keyward] Join the team ${team.name}`,
      text,
      html,
    });
    return { invitation: created, emailId };
  });
  sendSoon(emailId);
  return {
    id: invitation.id,
    email: invitation.email,
    role: invitation.role,
    createdAt: invitation.createdAt.toISOString(),
    expiresAt: invitation.expiresAt.toISOString(),
    invitedBy: actor.label,
  };
}

export async function revokeInvitation(
  userId: string,
  teamId: string,
  invitationId: string,
  actor: Actor,
): Promise<void> {
  await requireTeam(userId, teamId, "invite");
  await prisma.$transaction(async (tx) => {
    const { count } = await tx.teamInvitation.updateMany({
      where: { id: invitationId, teamId, acceptedAt: null, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    if (count === 0) throw notFound("No such pending invitation.");
    await recordAudit(tx, actor, "team.invitation_revoked", null, { invitationId }, teamId);
  });
}

export type InvitationState =
  | { status: "pending"; team: { id: string; name: string; slug: string }; email: string; role: TeamRole }
  | { status: "accepted" | "revoked" | "expired" | "invalid"; team?: { name: string; slug: string } };

/** What the invitation's page shows (opening it changes nothing). */
export async function invitationState(token: string): Promise<InvitationState> {
  const row = await prisma.teamInvitation.findUnique({
    where: { tokenHash: hash(token) },
    include: { team: { select: { id: true, name: true, slug: true, deletedAt: true } } },
  });
  if (!row || row.team.deletedAt) return { status: "invalid" };
  const team = { id: row.team.id, name: row.team.name, slug: row.team.slug };
  if (row.acceptedAt) return { status: "accepted", team };
  if (row.revokedAt) return { status: "revoked", team };
  if (row.expiresAt <= new Date()) return { status: "expired", team };
  if (!(await inviterMayStill(prisma, row))) return { status: "revoked", team };
  return { status: "pending", team, email: row.email, role: row.role };
}

/**
 * Whether the inviter could send this invitation today. Their removal or demotion revokes what
 * they sent (lib/rights); this is the same rule, asked again when the link is used.
 */
async function inviterMayStill(
  db: Tx | typeof prisma,
  invitation: { teamId: string; invitedById: string; role: TeamRole },
): Promise<boolean> {
  const inviter = await db.teamMember.findUnique({
    where: { teamId_userId: { teamId: invitation.teamId, userId: invitation.invitedById } },
    select: { role: true },
  });
  return teamCan(inviter?.role ?? null, invitation.role === "OWNER" ? "invite-owner" : "invite");
}

export type AcceptResult =
  | { status: "joined" | "already-member"; team: { id: string; name: string; slug: string } }
  | { status: "accepted" | "revoked" | "expired" | "invalid" | "wrong-address" | "unverified"; email?: string };

/** Accepts, once, for the signed-in user whose verified address was invited. */
export async function acceptInvitation(
  token: string,
  user: { id: string; email: string; emailVerified: boolean },
  ip: string | null,
): Promise<AcceptResult> {
  const state = await invitationState(token);
  if (state.status !== "pending") return { status: state.status };
  if (state.email !== user.email) return { status: "wrong-address", email: state.email };
  if (!user.emailVerified) return { status: "unverified", email: state.email };
  try {
    return await prisma.$transaction(async (tx) => {
      const taken = await tx.teamInvitation.updateMany({
        where: { tokenHash: hash(token), acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
        data: { acceptedAt: new Date(), acceptedById: user.id },
      });
      if (taken.count !== 1) return { status: "accepted" as const };
      const invitation = await tx.teamInvitation.findUniqueOrThrow({
        where: { tokenHash: hash(token) },
        select: { teamId: true, invitedById: true, role: true },
      });
      if (!(await inviterMayStill(tx, invitation))) throw new InviterLostRight();
      const existing = await tx.teamMember.findUnique({
        where: { teamId_userId: { teamId: state.team.id, userId: user.id } },
      });
      if (existing) return { status: "already-member" as const, team: state.team };
      await tx.teamMember.create({ data: { teamId: state.team.id, userId: user.id, role: state.role } });
      await recordAudit(
        tx,
        { id: user.id, label: user.email, ip },
        "team.member_joined",
        null,
        { role: state.role },
        state.team.id,
      );
      return { status: "joined" as const, team: state.team };
    });
  } catch (error) {
    if (error instanceof InviterLostRight) return { status: "revoked" };
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002")
      return { status: "already-member", team: state.team };
    throw error;
  }
}

/** Rolls back an acceptance whose inviter lost the right to invite while it was being taken. */
class InviterLostRight extends Error {}

/** The link's token: 32 random bytes, base64url. Anything else names no invitation (404). */
/** A team's invitation by id (revoking it). */
export const ZInvitationIdParams = z.object({ id: zId, invitationId: zId });

export const ZInvitationParams = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/) });
