import "server-only";
import type { Tx } from "@/lib/db/client";

// A team's API tokens act through the team's service account: a member (role ADMIN) of that team
// alone, which never signs in (no password, no sign-in method), never gets email or notices, and
// is not listed among the team's people. Acting as a member is what keeps a team token inside its
// team by the same checks a person meets: every team route asks the member's role, and the
// account has no personal keys and no other team. (GitLab's project access tokens work the same
// way, through a bot user per project.)

/** The address a team's service account carries; .invalid, so no email can ever reach it. */
const botEmail = (teamId: string) => `team-${teamId}@bots.keyward.invalid`;

export const BOT_NAME = "Team API token";

/** The team's service account, made on first use, and its ADMIN membership (made again if it went). */
export async function teamBot(tx: Tx, teamId: string): Promise<string> {
  const bot = await tx.user.upsert({
    where: { email: botEmail(teamId) },
    create: { email: botEmail(teamId), name: BOT_NAME, kind: "BOT", role: "USER" },
    update: {},
    select: { id: true },
  });
  await tx.teamMember.upsert({
    where: { teamId_userId: { teamId, userId: bot.id } },
    create: { teamId, userId: bot.id, role: "ADMIN" },
    update: { role: "ADMIN" },
  });
  return bot.id;
}

/** The team's service account, if it has one (and is still a member). */
export async function findTeamBot(db: Pick<Tx, "teamMember">, teamId: string): Promise<string | null> {
  const member = await db.teamMember.findFirst({ where: { teamId, user: { kind: "BOT" } }, select: { userId: true } });
  return member?.userId ?? null;
}
