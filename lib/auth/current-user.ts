import "server-only";
import { auth } from "@/lib/auth";
import { findSessionUser, type SessionUser } from "@/lib/users/authenticate";

/** The signed-in user, re-read from the database; null when signed out or gone. */
export async function getCurrentUser(): Promise<SessionUser | null> {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return null;
  return findSessionUser(id);
}
