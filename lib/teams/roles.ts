// What each team role may do. Pure: the API, the pages and the authorization matrix test share it.
//   OWNER  everything, including deleting the team and changing roles
//   ADMIN  manage members (not owners) and invitations, and all team keys; read the team's log
//   (export the team's audit log: owners only; the team's API tokens: owners and admins)
//   MEMBER see all team keys; issue and revoke keys; renew and rotate the keys they issued
import type { TeamRole } from "@/lib/db/generated/enums";

export const TEAM_ROLES = ["OWNER", "ADMIN", "MEMBER"] as const satisfies readonly TeamRole[];
export type { TeamRole };

const RANK: Record<TeamRole, number> = { MEMBER: 1, ADMIN: 2, OWNER: 3 };

export function atLeast(role: TeamRole, minimum: TeamRole): boolean {
  return RANK[role] >= RANK[minimum];
}

export type TeamAction =
  | "view-keys"
  | "issue-key"
  | "revoke-key"
  | "rotate-any-key"
  | "invite"
  | "invite-owner"
  | "remove-member"
  | "remove-owner"
  | "change-role"
  | "rename"
  | "delete-team"
  | "read-audit"
  | "export-audit"
  | "manage-webhooks"
  | "manage-tokens";

const MINIMUM: Record<TeamAction, TeamRole> = {
  "view-keys": "MEMBER",
  "issue-key": "MEMBER",
  "revoke-key": "MEMBER",
  "rotate-any-key": "ADMIN",
  invite: "ADMIN",
  "invite-owner": "OWNER",
  "remove-member": "ADMIN",
  "remove-owner": "OWNER",
  "change-role": "OWNER",
  rename: "OWNER",
  "delete-team": "OWNER",
  "read-audit": "ADMIN",
  "export-audit": "OWNER",
  "manage-webhooks": "ADMIN",
  "manage-tokens": "ADMIN",
};

export function teamCan(role: TeamRole | null, action: TeamAction): boolean {
  return role !== null && atLeast(role, MINIMUM[action]);
}
