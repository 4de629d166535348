import "server-only";
import { prisma, type Prisma } from "@/lib/db/client";
import { effectiveEnd, expiringWindowDays } from "../expiring-soon";
import { tabWhere } from "./list-keys";
import { responsibleFor } from "../key-owner";
import { responsibilityOf } from "./responsibility";

export interface ExpiringSummary {
  count: number;
  windowDays: number;
  /**
   * The key that stops working first: the banner's "Renew" opens its renew dialog (a rotated key
   * in grace, already replaced, opens its page instead).
   */
  soonest: { id: string; name: string; endsAt: string; replaced: boolean; team: string | null } | null;
}

/**
 * What the banner says: the working keys the person is responsible for whose end falls inside the
 * first reminder window (expiring-soon.ts), exactly what `/keys?view=responsible&tab=expiring` lists.
 */
export async function expiringSummary(userId: string): Promise<ExpiringSummary> {
  const where: Prisma.ApiKeyWhereInput = {
    AND: [responsibleFor(await responsibilityOf(userId)), tabWhere("expiring", new Date())],
  };
  const select = {
    id: true,
    name: true,
    expiresAt: true,
    graceEndsAt: true,
    replacedById: true,
    team: { select: { name: true } },
  } as const;
  // The soonest end is the earlier of two index-ordered firsts: by expiry, and by grace end.
  const [count, byExpiry, byGrace] = await Promise.all([
    prisma.apiKey.count({ where }),
    prisma.apiKey.findFirst({ where, orderBy: [{ expiresAt: { sort: "asc", nulls: "last" } }, { id: "asc" }], select }),
    prisma.apiKey.findFirst({
      where: { AND: [where, { graceEndsAt: { not: null } }] },
      orderBy: [{ graceEndsAt: "asc" }, { id: "asc" }],
      select,
    }),
  ]);
  const candidates = [byExpiry, byGrace].filter((k) => k !== null);
  candidates.sort((a, b) => effectiveEnd(a)!.getTime() - effectiveEnd(b)!.getTime());
  const soonest = candidates[0];
  return {
    count,
    windowDays: expiringWindowDays(),
    soonest: soonest
      ? {
          id: soonest.id,
          name: soonest.name,
          endsAt: effectiveEnd(soonest)!.toISOString(),
          replaced: soonest.replacedById !== null,
          team: soonest.team?.name ?? null,
        }
      : null,
  };
}
