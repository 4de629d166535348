import "server-only";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import { prisma, type Tx } from "@/lib/db/client";

export type SessionEndReason =
  | "signed out"
  | "password changed"
  | "role changed"
  | "signed out by an admin"
  | "address claimed"
  | "password reset"
  | "second factor reset";

/**
 * Ends every session the user has, on every instance, at its next request: sessions carry the
 * version they were issued under, and getCurrentUser() refuses an old one.
 */
export async function endAllSessions(
  db: Tx | typeof prisma,
  userId: string,
  actor: Actor,
  reason: SessionEndReason,
): Promise<void> {
  await db.user.update({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } });
  await recordAudit(db, actor, "user.sessions_ended", null, { userId, reason });
}
