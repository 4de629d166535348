// Whose keys a verifier (an API token with the verify scope, lib/tokens) may hear about: a site
// admin's token every key, a team's token that team's, a person's token their own. Pure: the
// verification asks it of every key a verifier names.
import type { KeyRecordOwner } from "./evaluate-key";

export type VerifierReach = { all: true } | { userId: string } | { teamId: string };

export interface Verifier {
  tokenId: string;
  reach: VerifierReach;
}

export function reaches(reach: VerifierReach, owner: KeyRecordOwner): boolean {
  if ("all" in reach) return true;
  return "teamId" in reach
    ? owner.type === "team" && owner.id === reach.teamId
    : owner.type === "user" && owner.id === reach.userId;
}
