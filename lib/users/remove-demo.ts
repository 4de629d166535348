import "server-only";
import type { Actor } from "@/lib/audit/record-audit";
import { prisma } from "@/lib/db/client";
import { revokeKey } from "@/lib/keys/change/revoke-key";
import { deleteTeam } from "@/lib/teams/teams";
import { deleteAccount } from "./delete-account";
import { DEMO_EMAILS } from "./demo-accounts";

export const REMOVE_DEMO_ACTOR: Actor = { id: null, label: "npm run db:remove-demo", ip: null };

export interface DemoRemoval {
  accounts: string[];
  teams: string[];
  revokedKeys: number;
}

/**
 * Removes the demo accounts the way their owners would remove them, every step in the audit log:
 * a team only demo accounts belong to has its keys revoked and is deleted (lib/teams), then each
 * account is deleted (lib/users/delete-account.ts: its keys and tokens revoked, sessions ended,
 * the row anonymised). A demo account that is the last owner of a team with other members stops
 * the removal, naming the team: that team is someone's, and needs a new owner first.
 */
export async function removeDemoAccounts(actor: Actor = REMOVE_DEMO_ACTOR): Promise<DemoRemoval> {
  const accounts = await prisma.user.findMany({
    where: { email: { in: DEMO_EMAILS }, kind: "PERSON", deletedAt: null },
    select: { id: true, email: true },
    orderBy: { email: "asc" },
  });
  const ids = accounts.map((a) => a.id);
  const teams = await prisma.team.findMany({
    where: {
      deletedAt: null,
      members: {
        some: { userId: { in: ids }, role: "OWNER" },
        every: { OR: [{ userId: { in: ids } }, { user: { kind: "BOT" } }] },
      },
    },
    select: {
      id: true,
      name: true,
      members: { where: { role: "OWNER", userId: { in: ids } }, select: { userId: true }, take: 1 },
    },
  });
  let revokedKeys = 0;
  for (const team of teams) {
    const owner = team.members[0]!.userId;
    const keys = await prisma.apiKey.findMany({
      where: { teamId: team.id, kind: "KEY", blacklisted: { is: null } },
      select: { id: true },
    });
    for (const key of keys) await revokeKey(owner, key.id, { note: "demo data removed" }, actor);
    revokedKeys += keys.length;
    await deleteTeam(owner, team.id, actor);
  }
  for (const account of accounts) revokedKeys += (await deleteAccount(account.id, account.email, actor)).revokedKeys;
  return { accounts: accounts.map((a) => a.email), teams: teams.map((t) => t.name), revokedKeys };
}
