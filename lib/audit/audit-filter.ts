import "server-only";
import type { Prisma } from "@/lib/db/client";
import type { AuditAction } from "./record-audit";

/** What the audit log can be narrowed by; the list, the page and the export share it. */
export interface AuditFilter {
  /** Contained in the actor's label, case-insensitive. */
  actor?: string;
  action?: AuditAction;
  key?: string;
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
  /** One team's events only (a team's log, read by its owners and admins). */
  teamId?: string;
}

export function auditWhere(filter: AuditFilter): Prisma.AuditEventWhereInput {
  return {
    ...(filter.actor ? { actorLabel: { contains: filter.actor, mode: "insensitive" } } : {}),
    ...(filter.action ? { action: filter.action } : {}),
    ...(filter.key ? { keyId: filter.key } : {}),
    ...(filter.from || filter.to
      ? { at: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) } }
      : {}),
    ...(filter.teamId !== undefined ? { teamId: filter.teamId } : {}),
  };
}
