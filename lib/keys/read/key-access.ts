import "server-only";
import { prisma } from "@/lib/db/client";
import { forbidden, notFound } from "@/lib/errors";
import { requireTeam, teamRoleOf } from "@/lib/teams/membership";
import { teamCan, type TeamRole } from "@/lib/teams/roles";
import type { KeyOwner } from "../key-owner";
import { KEY_VIEW_SELECT, type KeyRow } from "./key-view";

/**
 * What a person may do to a key:
 *   view    see it and its history
 *   revoke  blacklist it as REVOKED
 *   renew   issue its replacement once it no longer works (a team's MEMBER only for keys they
 *           issued: the replacement's issuer may change its limits, so renewing someone else's
 *           key takes the same right as rotating it)
 *   rotate  replace it while it still works (a team's MEMBER only for keys they issued)
 *   limits  change its rate limit, allowed client IPs or usage cap: the same people as rotate,
 *           since loosening them (wider allowlist, no cap) says who may use the key, as a
 *           replacement does; a MEMBER who did not issue it can still revoke it
 */
export type KeyAction = "view" | "revoke" | "renew" | "rotate" | "limits";

export interface AccessibleKey {
  row: KeyRow;
  /** The person's role in the owning team; null for their own personal key. */
  teamRole: TeamRole | null;
}

/** Whether a team member in `role` may do `action` to a key (`issuer`: they issued it). */
export function teamMayDo(role: TeamRole, action: KeyAction, issuer: boolean): boolean {
  switch (action) {
    case "view":
      return teamCan(role, "view-keys");
    case "revoke":
      return teamCan(role, "revoke-key");
    case "renew":
    case "rotate":
    case "limits":
      return teamCan(role, "rotate-any-key") || (issuer && teamCan(role, "issue-key"));
  }
}

const FORBIDDEN_MESSAGE: Partial<Record<KeyAction, string>> = {
  rotate: "Only the key's issuer or a team admin can rotate a working team key.",
  renew: "Only the key's issuer or a team admin can renew a team key.",
  limits: "Only the key's issuer or a team admin can change its limits.",
};

/**
 * A key the person may act on: their own personal key, or a key of a team they belong to (the
 * role decides the action). Anyone else's key answers 404 exactly like a missing one, so ids
 * cannot be probed; a member whose role falls short gets a 403. Membership is read from the
 * database on every call: a removed member is refused at their next request, on every instance.
 */
export async function accessKeyOrThrow(userId: string, id: string, action: KeyAction): Promise<AccessibleKey> {
  // Keys only: an API token shares the table (lib/tokens) and is no key of anyone's.
  const row = await prisma.apiKey.findUnique({ where: { id, kind: "KEY" }, select: KEY_VIEW_SELECT });
  if (!row) throw notFound("No such key.");
  if (row.userId !== null) {
    if (row.userId !== userId) throw notFound("No such key.");
    return { row, teamRole: null };
  }
  const role = row.teamId ? await teamRoleOf(userId, row.teamId) : null;
  if (!role) throw notFound("No such key.");
  if (!teamMayDo(role, action, row.issuedById === userId)) {
    throw forbidden(FORBIDDEN_MESSAGE[action] ?? "Your role in this team does not allow that.");
  }
  return { row, teamRole: role };
}

/** Whether the person may see the key (one lookup; for layouts that 404 early). */
export async function canViewKey(userId: string, id: string): Promise<boolean> {
  const row = await prisma.apiKey.findUnique({ where: { id, kind: "KEY" }, select: { userId: true, teamId: true } });
  if (!row) return false;
  if (row.userId !== null) return row.userId === userId;
  return row.teamId !== null && (await teamRoleOf(userId, row.teamId)) !== null;
}

/** The owner whose keys a person asks to list: themselves, or a team they belong to (else 404). */
export async function viewableOwner(userId: string, teamId: string | undefined): Promise<KeyOwner> {
  if (!teamId) return { type: "user", id: userId };
  await requireTeam(userId, teamId, "view-keys");
  return { type: "team", id: teamId };
}
