import "server-only";
import type { Prisma, Tx } from "@/lib/db/client";
import { prisma } from "@/lib/db/client";

/** Who did something, and from where. Routes build it once from the session and request. */
export interface Actor {
  /** null for the system (the sweep). */
  id: string | null;
  label: string;
  ip: string | null;
  /** The API token the actor used (lib/tokens); absent for a session or the system. */
  token?: ActorToken | null;
}

/** An API token as the audit log names it: which one, and whose. */
export interface ActorToken {
  id: string;
  name: string;
  owner: { type: "user" | "team"; id: string };
}

export const SYSTEM_ACTOR: Actor = { id: null, label: "sweep", ip: null };

export type AuditAction =
  | "user.signed_up"
  | "user.sign_up_for_existing_address"
  | "user.email_verified"
  | "user.password_changed"
  | "user.password_reset_requested"
  | "user.password_reset_sent"
  | "user.password_reset"
  | "user.role_changed"
  | "user.sessions_ended"
  | "user.github_linked"
  | "user.github_unlinked"
  | "user.passkey_added"
  | "user.passkey_renamed"
  | "user.passkey_removed"
  | "user.oidc_linked"
  | "user.oidc_unlinked"
  | "user.session_ended"
  | "user.second_factor_enabled"
  | "user.second_factor_disabled"
  | "user.second_factor_reset"
  | "user.recovery_codes_regenerated"
  | "auth.reauthenticated"
  | "auth.reauth_failed"
  | "auth.signed_in"
  | "auth.sign_in_failed"
  | "key.issued"
  | "key.revoked"
  | "key.rotated"
  | "key.blacklisted"
  | "key.limits_changed"
  | "token.issued"
  | "token.revoked"
  | "token.rotated"
  | "webhook.created"
  | "webhook.updated"
  | "webhook.deleted"
  | "webhook.secret_rolled"
  | "webhook.disabled"
  | "team.created"
  | "team.renamed"
  | "team.deleted"
  | "team.member_invited"
  | "team.invitation_revoked"
  | "team.member_joined"
  | "team.role_changed"
  | "team.member_removed"
  | "team.member_left"
  | "user.account_deleted"
  | "audit.exported";

/**
 * Writes one audit event; pass the transaction so the event commits with the change. `teamId`
 * files it under a team too (its owners and admins read their team's log).
 */
export async function recordAudit(
  db: Tx | typeof prisma,
  actor: Actor,
  action: AuditAction,
  keyId: string | null,
  detail?: Prisma.InputJsonValue,
  teamId: string | null = null,
): Promise<void> {
  await db.auditEvent.create({
    data: {
      actorId: actor.id,
      actorLabel: actor.label,
      actorToken: actor.token ? { ...actor.token } : undefined,
      action,
      keyId,
      ip: actor.ip,
      detail,
      teamId,
    },
  });
}
