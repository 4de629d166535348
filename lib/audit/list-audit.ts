import "server-only";
import { z } from "zod";
import { zText } from "@/lib/api/text";
import { prisma } from "@/lib/db/client";
import { auditWhere } from "./audit-filter";
import type { AuditAction } from "./record-audit";
import { actorOf, type AuditEventView } from "./audit-view";

/** Every action recordAudit writes, with how the log names it; `satisfies` keeps it complete. */
export const AUDIT_ACTION_LABELS = {
  "key.issued": "Key issued",
  "key.rotated": "Key rotated",
  "key.revoked": "Key revoked",
  "key.blacklisted": "Key blacklisted",
  "key.limits_changed": "Key limits changed",
  "user.signed_up": "User signed up",
  "team.created": "Team created",
  "team.renamed": "Team renamed",
  "team.deleted": "Team deleted",
  "team.member_invited": "Member invited",
  "team.invitation_revoked": "Invitation revoked",
  "team.member_joined": "Member joined",
  "team.role_changed": "Team role changed",
  "team.member_removed": "Member removed",
  "team.member_left": "Member left",
  "user.account_deleted": "Account deleted",
  "webhook.created": "Webhook endpoint added",
  "webhook.updated": "Webhook endpoint changed",
  "webhook.deleted": "Webhook endpoint deleted",
  "webhook.secret_rolled": "Webhook secret rolled",
  "webhook.disabled": "Webhook endpoint disabled",
  "token.issued": "API token made",
  "token.revoked": "API token revoked",
  "token.rotated": "API token rotated",
  "user.sign_up_for_existing_address": "Sign-up tried for an existing address",
  "user.email_verified": "Email address verified",
  "user.password_changed": "Password changed",
  "user.password_reset_requested": "Password reset asked for",
  "user.password_reset_sent": "Password reset link sent by an admin",
  "user.password_reset": "Password reset",
  "user.role_changed": "Role changed",
  "user.sessions_ended": "Sessions ended",
  "user.github_linked": "GitHub connected",
  "user.github_unlinked": "GitHub disconnected",
  "user.passkey_added": "Passkey added",
  "user.passkey_renamed": "Passkey renamed",
  "user.passkey_removed": "Passkey removed",
  "user.oidc_linked": "Single sign-on connected",
  "user.oidc_unlinked": "Single sign-on disconnected",
  "user.session_ended": "Session ended",
  "user.second_factor_enabled": "Two-factor turned on",
  "user.second_factor_disabled": "Two-factor turned off",
  "user.second_factor_reset": "Two-factor reset by an admin",
  "user.recovery_codes_regenerated": "Recovery codes regenerated",
  "auth.reauthenticated": "Re-authenticated",
  "auth.reauth_failed": "Re-authentication failed",
  "auth.signed_in": "Signed in",
  "auth.sign_in_failed": "Sign-in failed",
  "audit.exported": "Audit log exported",
} satisfies Record<AuditAction, string>;
export const AUDIT_ACTIONS = Object.keys(AUDIT_ACTION_LABELS) as AuditAction[];

export const ZListAuditQuery = z.strictObject({
  /** Contained in the actor's label (their email at the time, or "sweep"). */
  actor: zText().trim().max(200).optional(),
  action: z.enum(AUDIT_ACTIONS).optional(),
  /** A key id, matched exactly (the trail outlives purged keys, so no existence check). */
  key: zText().trim().max(100).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type TListAuditQuery = z.input<typeof ZListAuditQuery>;

export type { AuditEventView } from "./audit-view";

export interface AuditPage {
  items: AuditEventView[];
  page: number;
  pageSize: number;
  /** Never counted: the trail only grows, and COUNT(*) over it is the slow part. */
  total: null;
  hasNext: boolean;
}

/** The audit trail, newest first, walked along the `at` (or `keyId, at`) index. */
export async function listAudit(rawQuery: TListAuditQuery, teamId?: string): Promise<AuditPage> {
  const query = ZListAuditQuery.parse(rawQuery);
  // A team's log (its owners and admins read it): only events filed under that team.
  const where = auditWhere({ ...query, teamId });
  // One extra row tells whether a next page exists without counting.
  const rows = await prisma.auditEvent.findMany({
    where,
    orderBy: [{ at: "desc" }, { id: "desc" }],
    skip: (query.page - 1) * query.pageSize,
    take: query.pageSize + 1,
  });
  return {
    items: rows.slice(0, query.pageSize).map(({ actorToken: _token, ...row }) => ({
      ...row,
      at: row.at.toISOString(),
      actor: actorOf({ ...row, actorToken: _token }),
    })),
    page: query.page,
    pageSize: query.pageSize,
    total: null,
    hasNext: rows.length > query.pageSize,
  };
}
