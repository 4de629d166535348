import "server-only";
import { prisma } from "@/lib/db/client";
import { ownerWhere, type KeyOwner } from "./key-owner";
import { KEY_TABS, tabWhere, type KeyTab } from "./list-keys";

/** How many of one owner's keys each tab holds (bounded by the owner's keys). */
export async function tabCounts(owner: KeyOwner): Promise<Record<KeyTab, number>> {
  const now = new Date();
  const counts = await Promise.all(
    KEY_TABS.map((tab) => prisma.apiKey.count({ where: { AND: [ownerWhere(owner), tabWhere(tab, now)] } })),
  );
  return Object.fromEntries(KEY_TABS.map((tab, i) => [tab, counts[i]!])) as Record<KeyTab, number>;
}
