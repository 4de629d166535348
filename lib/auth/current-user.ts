import "server-only";
import { auth } from "@/lib/auth";
import { findSessionUser, type SessionUser } from "@/lib/users/authenticate";

/**
 * The signed-in user, re-read from the database; null when signed out, gone, or when the session
 * was issued under an older session version (signed out everywhere, password or role changed).
 */
export async function getCurrentUser(): Promise<SessionUser | null> {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return null;
  return findSessionUser(id, session.sessionVersion);
}
