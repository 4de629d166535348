import "server-only";
import type { Actor } from "@/lib/audit/record-audit";
import { prisma } from "@/lib/db/client";
import { env } from "@/lib/env";
import { KeywardError } from "@/lib/errors";
import { setRole } from "@/lib/users/admin-users";

/**
 * OIDC_ADMIN_GROUP: at each single sign-on, a member of the group becomes an admin, and an admin
 * the group made stops being one when they have left it. Both go through the one role change
 * (audited; the user's other sessions end, as for any role change). An admin made by hand is
 * left alone, and the last admin is never demoted (setRole refuses; the sign-in goes on).
 */
export async function applyAdminGroup(userId: string, groups: readonly string[], ip: string | null): Promise<void> {
  const group = env.OIDC_ADMIN_GROUP;
  if (!group) return;
  const user = await prisma.user.findUnique({
    where: { id: userId, deletedAt: null },
    select: { role: true, adminByGroup: true },
  });
  if (!user) return;
  const member = groups.includes(group);
  const actor: Actor = { id: null, label: `single sign-on group ${group}`.slice(0, 200), ip };
  try {
    if (member && user.role === "USER") await setRole(userId, "ADMIN", actor, { byGroup: true });
    else if (!member && user.role === "ADMIN" && user.adminByGroup)
      await setRole(userId, "USER", actor, { byGroup: true });
  } catch (error) {
    // Already changed by a sign-in a moment ago, or the last admin: the role stays as it is.
    if (error instanceof KeywardError && error.code === "CONFLICT") {
      console.warn(`[keyward] single sign-on group ${group}: role of user ${userId} unchanged: ${error.message}`);
      return;
    }
    throw error;
  }
}
