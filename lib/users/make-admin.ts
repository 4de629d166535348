import "server-only";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import { prisma } from "@/lib/db/client";
import { announceOwnerChange, forgetOwner } from "@/lib/db/owner-change";
import { KeywardError } from "@/lib/errors";
import { createResetLink } from "./password-reset";
import { endAllSessions } from "./sessions";

export const CONSOLE_ACTOR: Actor = { id: null, label: "npm run user:admin", ip: null };

export interface MadeAdmin {
  created: boolean;
  /** Was an admin already (only the address may have been verified now). */
  already: boolean;
  /** A link to choose the password (single-use, an hour): for an account without one, or when asked. */
  passwordLink: string | null;
}

/**
 * The operator makes an account a site admin from the server's console (npm run user:admin): the
 * first admin of a site started without ADMIN_EMAIL, or another one. The address counts as
 * verified, since the operator vouches for it. An address without an account gets one, without a
 * password, and a link to choose it that only this console sees. The account's sessions end (the
 * role they carry is stale).
 */
export async function makeAdmin(email: string, options: { passwordLink?: boolean } = {}): Promise<MadeAdmin> {
  const actor = CONSOLE_ACTOR;
  let userId = "";
  const result = await prisma.$transaction(async (tx) => {
    const existing = await tx.user.findFirst({
      where: { email, deletedAt: null },
      select: { id: true, role: true, kind: true, emailVerifiedAt: true, passwordHash: true },
    });
    if (existing?.kind === "BOT")
      throw new KeywardError("CONFLICT", `${email} is a team's service account, not a person.`);
    const now = new Date();
    const user =
      existing ??
      (await tx.user.create({
        data: { email, name: "Admin", role: "USER", emailVerifiedAt: now },
        select: { id: true, role: true, kind: true, emailVerifiedAt: true, passwordHash: true },
      }));
    userId = user.id;
    if (!existing)
      await recordAudit(tx, actor, "user.signed_up", null, { userId: user.id, method: "npm run user:admin" });
    if (!user.emailVerifiedAt) {
      await tx.user.update({ where: { id: user.id }, data: { emailVerifiedAt: now } });
      await recordAudit(tx, actor, "user.email_verified", null, { userId: user.id, vouchedBy: "operator" });
    }
    const already = user.role === "ADMIN";
    if (!already) {
      await tx.user.update({ where: { id: user.id }, data: { role: "ADMIN" } });
      await recordAudit(tx, actor, "user.role_changed", null, { userId: user.id, email, role: "ADMIN" });
      // A verifier token's reach (every key, for an admin's) is cached per person.
      await announceOwnerChange(tx, user.id);
      if (existing) await endAllSessions(tx, user.id, actor, "role changed");
    }
    const wantsLink = user.passwordHash === null || options.passwordLink === true;
    return { created: !existing, already, passwordLink: wantsLink ? await createResetLink(tx, user.id) : null };
  });
  forgetOwner(userId);
  return result;
}
