import "server-only";
import { z } from "zod";
import { zId } from "@/lib/api/text";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import { prisma } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import { methodLabel } from "./method-label";

/** DELETE /api/v1/admin/users/:id/sessions/:sessionId */
export const ZUserSessionParams = z.object({ id: zId, sessionId: zId });

/** How long a session lives without being used: next-auth's maxAge (lib/auth). */
export const SESSION_MAX_AGE_S = 7 * 24 * 3600;

export interface SessionView {
  id: string;
  device: string;
  userAgent: string | null;
  ip: string | null;
  method: string;
  createdAt: string;
  lastSeenAt: string;
  /** The session this request came with. */
  current: boolean;
}

/**
 * A user's active sessions, most recently used first: not ended, issued under the user's current
 * session version (a sign-out everywhere, or a password or role change, ended the older ones), and
 * used within a session's lifetime.
 */
export async function listSessions(userId: string, currentSessionId: string | null): Promise<SessionView[]> {
  const user = await prisma.user.findUnique({
    where: { id: userId, deletedAt: null },
    select: { sessionVersion: true },
  });
  if (!user) throw notFound("No such user.");
  const rows = await prisma.userSession.findMany({
    where: {
      userId,
      endedAt: null,
      sessionVersion: user.sessionVersion,
      lastSeenAt: { gt: new Date(Date.now() - SESSION_MAX_AGE_S * 1000) },
    },
    orderBy: [{ lastSeenAt: "desc" }, { id: "asc" }],
    take: 200,
    select: { id: true, device: true, userAgent: true, ip: true, method: true, createdAt: true, lastSeenAt: true },
  });
  return rows.map((row) => ({
    ...row,
    method: methodLabel(row.method),
    createdAt: row.createdAt.toISOString(),
    lastSeenAt: row.lastSeenAt.toISOString(),
    current: row.id === currentSessionId,
  }));
}

/** The person whose sessions an admin looks at: null for no such (living) person. */
export async function sessionOwner(userId: string): Promise<{ email: string } | null> {
  return prisma.user.findUnique({ where: { id: userId, kind: "PERSON", deletedAt: null }, select: { email: true } });
}

/**
 * Ends one session of a user: its next request is signed out. Someone else's session, or one that
 * has already ended, is 404 (the id names nothing the caller may end).
 */
export async function endSession(
  userId: string,
  sessionId: string,
  actor: Actor,
  by: "owner" | "admin",
): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const row = await tx.userSession.findFirst({
      where: { id: sessionId, userId, endedAt: null },
      select: { device: true, ip: true },
    });
    if (!row) throw notFound("No such session.");
    await tx.userSession.update({ where: { id: sessionId }, data: { endedAt: new Date() } });
    await recordAudit(tx, actor, "user.session_ended", null, { userId, sessionId, device: row.device, ip: row.ip, by });
  });
}
