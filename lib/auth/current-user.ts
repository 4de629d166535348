import "server-only";
import { headers } from "next/headers";
import { clientIp } from "@/lib/api/client-ip";
import { auth } from "@/lib/auth";
import { findSessionUser, type SessionUser } from "@/lib/users/authenticate";

/**
 * The signed-in user, re-read from the database; null when signed out, gone, when the session was
 * issued under an older session version (signed out everywhere, password or role changed), or when
 * its session row was ended.
 */
export async function getCurrentUser(): Promise<SessionUser | null> {
  return (await getCurrentSession())?.user ?? null;
}

/** The signed-in user and when the session last authenticated (ms; null: unknown), for sudo mode. */
export async function getCurrentSession(): Promise<{ user: SessionUser; authAt: number | null } | null> {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return null;
  const user = await findSessionUser(id, session.sessionVersion, {
    sessionId: session.sessionId,
    ip: clientIp(await headers()),
  });
  return user ? { user, authAt: session.authAt || null } : null;
}
