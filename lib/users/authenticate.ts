import "server-only";
import { prisma } from "@/lib/db/client";
import { burnPasswordCheck, verifyPassword } from "@/lib/auth/password";
import { touchSession } from "@/lib/sessions/check-session";

export interface SessionUser {
  id: string;
  email: string;
  name: string | null;
  role: "USER" | "ADMIN";
  /** Whether the owner proved the address is theirs (lib/users/email-verification.ts). */
  emailVerified: boolean;
  /** A person, or a team's service account acting for one of the team's API tokens (lib/tokens). */
  kind?: "PERSON" | "BOT";
  /** The session row a signed-in browser's request came with (lib/sessions); absent for a token. */
  sessionId?: string;
}

/** A user as sessions are issued for them: with the version every session must carry. */
export interface AuthenticatedUser extends SessionUser {
  sessionVersion: number;
}

const SESSION_SELECT = {
  id: true,
  email: true,
  name: true,
  role: true,
  emailVerifiedAt: true,
  sessionVersion: true,
} as const;

type Row = {
  id: string;
  email: string;
  name: string | null;
  role: "USER" | "ADMIN";
  emailVerifiedAt: Date | null;
  sessionVersion: number;
};

const toUser = ({ emailVerifiedAt, ...row }: Row): AuthenticatedUser => ({
  ...row,
  emailVerified: emailVerifiedAt !== null,
});

/** Email + password check; null for any failure, after the same amount of work. */
export async function authenticate(email: string, password: string): Promise<AuthenticatedUser | null> {
  const user = await prisma.user.findUnique({
    where: { email: email.toLowerCase() },
    select: { ...SESSION_SELECT, passwordHash: true },
  });
  if (!user?.passwordHash) {
    await burnPasswordCheck(password);
    return null;
  }
  const { passwordHash, ...row } = user;
  if (!(await verifyPassword(password, passwordHash))) return null;
  return toUser(row);
}

/** The user as the database knows them now, with their current session version. */
export async function findAuthenticatedUser(id: string): Promise<AuthenticatedUser | null> {
  const row = await prisma.user.findUnique({ where: { id, deletedAt: null }, select: SESSION_SELECT });
  return row ? toUser(row) : null;
}

/**
 * The signed-in user behind a session, or null when the session has ended: the user is gone, the
 * session was issued under an older version (signed out everywhere, password or role changed), or
 * its row was ended (Settings → Sessions, an admin). A session from before rows existed has no
 * sessionId and is signed out once. It runs on every portal request: one statement (the user by
 * id, with its live session row as a condition), and the session's last use noted in the
 * background at most once a minute.
 */
export async function findSessionUser(
  id: string,
  sessionVersion: number | undefined,
  session: { sessionId: string | undefined; ip: string | null },
): Promise<SessionUser | null> {
  const { sessionId } = session;
  if (!sessionId) return null;
  const row = await prisma.user.findFirst({
    where: { id, deletedAt: null, sessions: { some: { id: sessionId, endedAt: null } } },
    select: SESSION_SELECT,
  });
  if (!row || row.sessionVersion !== sessionVersion) return null;
  touchSession(sessionId, session.ip);
  const { sessionVersion: _current, ...sessionUser } = toUser(row);
  return { ...sessionUser, sessionId };
}
