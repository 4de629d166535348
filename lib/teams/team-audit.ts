import "server-only";
import type { Actor } from "@/lib/audit/record-audit";
import { exportAudit, type AuditExport, type TAuditExportQuery } from "@/lib/audit/export-audit";
import { listAudit, type AuditPage, type TListAuditQuery } from "@/lib/audit/list-audit";
import { requireTeam } from "./membership";

/** A team's log, for its owners and admins: every event filed under the team. */
export async function teamAudit(userId: string, teamId: string, query: TListAuditQuery): Promise<AuditPage> {
  await requireTeam(userId, teamId, "read-audit");
  return listAudit(query, teamId);
}

/** The same log as a download (CSV or JSON Lines, streamed), for the team's owners. */
export async function exportTeamAudit(
  userId: string,
  teamId: string,
  query: TAuditExportQuery,
  actor: Actor,
): Promise<AuditExport> {
  await requireTeam(userId, teamId, "export-audit");
  return exportAudit(query, actor, { teamId });
}
