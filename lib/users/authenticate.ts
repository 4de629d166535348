import "server-only";
import { prisma } from "@/lib/db/client";
import { burnPasswordCheck, verifyPassword } from "@/lib/auth/password";

export interface SessionUser {
  id: string;
  email: string;
  name: string | null;
  role: "USER" | "ADMIN";
}

/** Email + password check; null for any failure, after the same amount of work. */
export async function authenticate(email: string, password: string): Promise<SessionUser | null> {
  const user = await prisma.user.findUnique({
    where: { email: email.toLowerCase() },
    select: { id: true, email: true, name: true, role: true, passwordHash: true },
  });
  if (!user?.passwordHash) {
    await burnPasswordCheck(password);
    return null;
  }
  if (!(await verifyPassword(password, user.passwordHash))) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

/** The signed-in user as the database knows them now (role changes apply at once). */
export async function findSessionUser(id: string): Promise<SessionUser | null> {
  return prisma.user.findUnique({ where: { id }, select: { id: true, email: true, name: true, role: true } });
}

/** Links a GitHub identity to a user (matched by verified email, or created). */
export async function upsertOAuthUser(
  provider: string,
  providerAccountId: string,
  email: string,
  name: string | null,
): Promise<SessionUser> {
  const linked = await prisma.account.findUnique({
    where: { provider_providerAccountId: { provider, providerAccountId } },
    select: { user: { select: { id: true, email: true, name: true, role: true } } },
  });
  if (linked) return linked.user;
  return prisma.user.upsert({
    where: { email: email.toLowerCase() },
    create: { email: email.toLowerCase(), name, accounts: { create: { provider, providerAccountId } } },
    update: { accounts: { create: { provider, providerAccountId } } },
    select: { id: true, email: true, name: true, role: true },
  });
}
