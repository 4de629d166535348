import "server-only";
import { listAudit, type AuditPage, type TListAuditQuery } from "@/lib/audit/list-audit";
import { requireTeam } from "./membership";

/** A team's log, for its owners and admins: every event filed under the team. */
export async function teamAudit(userId: string, teamId: string, query: TListAuditQuery): Promise<AuditPage> {
  await requireTeam(userId, teamId, "read-audit");
  return listAudit(query, teamId);
}
