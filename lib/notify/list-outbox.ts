import "server-only";
import { z } from "zod";
import { zText } from "@/lib/api/text";
import { prisma, type Prisma } from "@/lib/db/client";

export const EMAIL_STATUSES = ["PENDING", "SENDING", "SENT", "FAILED", "STORED"] as const;

export const ZListOutboxQuery = z.strictObject({
  status: z.enum(EMAIL_STATUSES).optional(),
  to: zText().trim().max(254).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type TListOutboxQuery = z.input<typeof ZListOutboxQuery>;

export interface OutboxRow {
  id: string;
  to: string;
  kind: string;
  subject: string | null;
  text: string | null;
  status: string;
  transport: string | null;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
  nextAttemptAt: string;
  notices: number;
}

/** Admin: every email Keyward sent, stored or failed to send, newest first. */
export async function listOutbox(rawQuery: TListOutboxQuery) {
  const query = ZListOutboxQuery.parse(rawQuery);
  const where: Prisma.EmailMessageWhereInput = {
    ...(query.status ? { status: query.status } : {}),
    ...(query.to ? { toAddress: { contains: query.to.toLowerCase() } } : {}),
  };
  const rows = await prisma.emailMessage.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    skip: (query.page - 1) * query.pageSize,
    take: query.pageSize + 1,
    include: { _count: { select: { notifications: true } } },
  });
  const items: OutboxRow[] = rows.slice(0, query.pageSize).map((e) => ({
    id: e.id,
    to: e.toAddress,
    kind: e.kind,
    subject: e.subject,
    text: e.text,
    status: e.status,
    transport: e.transport,
    attempts: e.attempts,
    lastError: e.lastError,
    createdAt: e.createdAt.toISOString(),
    sentAt: e.sentAt?.toISOString() ?? null,
    nextAttemptAt: e.nextAttemptAt.toISOString(),
    notices: e._count.notifications,
  }));
  return { items, page: query.page, pageSize: query.pageSize, total: null, hasNext: rows.length > query.pageSize };
}
