import "server-only";
import { prisma, type Prisma } from "@/lib/db/client";
import { env } from "@/lib/env";
import { tabWhere } from "./list-keys";

export interface ExpiringSummary {
  count: number;
  windowDays: number;
  /** The key that expires first: the banner's "Renew" opens its renew dialog. */
  soonest: { id: string; name: string; expiresAt: string } | null;
}

/**
 * The keys a person is responsible for, the same people reminders go to: their personal keys,
 * every key of a team they own or administer, and the team keys they issued while still a member.
 */
export function responsibleFor(userId: string): Prisma.ApiKeyWhereInput {
  return {
    OR: [
      { userId },
      { team: { deletedAt: null, members: { some: { userId, role: { in: ["OWNER", "ADMIN"] } } } } },
      { issuedById: userId, team: { deletedAt: null, members: { some: { userId } } } },
    ],
  };
}

/** What the renewal banner says: the working keys the person is responsible for, inside the first reminder window. */
export async function expiringSummary(userId: string): Promise<ExpiringSummary> {
  const where = { AND: [responsibleFor(userId), { replacedById: null }, tabWhere("expiring", new Date())] };
  const [count, soonest] = await Promise.all([
    prisma.apiKey.count({ where }),
    prisma.apiKey.findFirst({ where, orderBy: { expiresAt: "asc" }, select: { id: true, name: true, expiresAt: true } }),
  ]);
  return {
    count,
    windowDays: env.EXPIRY_REMINDER_DAYS[0] ?? 7,
    soonest: soonest ? { id: soonest.id, name: soonest.name, expiresAt: soonest.expiresAt!.toISOString() } : null,
  };
}
