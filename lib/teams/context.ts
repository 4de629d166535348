import "server-only";
import { cookies } from "next/headers";
import { myTeams } from "./membership";
import type { TeamRole } from "./roles";

// Whose keys the portal shows: the person's own (Personal) or one of their teams'. Chosen in the
// header's switcher and kept in a cookie; a cookie naming a team the person has left (or never
// joined) simply falls back to Personal.

export const CONTEXT_COOKIE = "keyward-context";

export interface TeamChoice {
  id: string;
  name: string;
  slug: string;
  role: TeamRole;
}

export type PortalContext = { type: "user"; id: string } | ({ type: "team" } & TeamChoice);

export async function portalContext(userId: string): Promise<{ context: PortalContext; teams: TeamChoice[] }> {
  const teams = await myTeams(userId);
  const wanted = (await cookies()).get(CONTEXT_COOKIE)?.value;
  const team = teams.find((t) => t.id === wanted);
  return { context: team ? { type: "team", ...team } : { type: "user", id: userId }, teams };
}
