import "server-only";
import { prisma } from "@/lib/db/client";
import type { Responsibility } from "../key-owner";

/** The person's live teams, by what they answer for there (key-owner.ts, Responsibility). */
export async function responsibilityOf(userId: string): Promise<Responsibility> {
  const memberships = await prisma.teamMember.findMany({
    where: { userId, team: { deletedAt: null } },
    select: { teamId: true, role: true },
  });
  const administers = (role: string) => role === "OWNER" || role === "ADMIN";
  return {
    userId,
    administered: memberships.filter((m) => administers(m.role)).map((m) => m.teamId),
    member: memberships.filter((m) => !administers(m.role)).map((m) => m.teamId),
  };
}
