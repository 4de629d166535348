import "server-only";
import { prisma } from "@/lib/db/client";
import { env } from "@/lib/env";
import { tabWhere } from "./list-keys";

export interface ExpiringSummary {
  count: number;
  windowDays: number;
  /** The key that expires first: the banner's "Renew" opens its renew dialog. */
  soonest: { id: string; name: string; expiresAt: string } | null;
}

/** What the renewal banner says: the user's working keys inside the first reminder window. */
export async function expiringSummary(ownerId: string): Promise<ExpiringSummary> {
  const where = { AND: [{ userId: ownerId, replacedById: null }, tabWhere("expiring", new Date())] };
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
