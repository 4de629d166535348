import "server-only";
import { prisma } from "@/lib/db/client";
import { KEY_TABS, personScopeWhere, tabWhere, type KeyTab, type PersonScope } from "./list-keys";

/** How many keys each tab holds, for one owner or for what a person is responsible for (bounded by theirs). */
export async function tabCounts(scope: PersonScope): Promise<Record<KeyTab, number>> {
  const now = new Date();
  const whose = await personScopeWhere(scope);
  const counts = await Promise.all(
    KEY_TABS.map((tab) => prisma.apiKey.count({ where: { AND: [whose, tabWhere(tab, now)] } })),
  );
  return Object.fromEntries(KEY_TABS.map((tab, i) => [tab, counts[i]!])) as Record<KeyTab, number>;
}
