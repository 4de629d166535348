import "server-only";
import { prisma } from "@/lib/db/client";
import { KEY_TABS, tabWhere, type KeyTab } from "./list-keys";

/** How many of one owner's keys each tab holds (bounded by the owner's keys). */
export async function tabCounts(ownerId: string): Promise<Record<KeyTab, number>> {
  const now = new Date();
  const counts = await Promise.all(
    KEY_TABS.map((tab) => prisma.apiKey.count({ where: { AND: [{ userId: ownerId }, tabWhere(tab, now)] } })),
  );
  return Object.fromEntries(KEY_TABS.map((tab, i) => [tab, counts[i]!])) as Record<KeyTab, number>;
}
