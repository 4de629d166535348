import "server-only";
import { z } from "zod";
import { zText } from "@/lib/api/text";
import { prisma } from "@/lib/db/client";
import { noticeLine, noticePath, noticeTitle } from "./notice-text";

export const ZListNotificationsQuery = z.strictObject({
  unread: z.enum(["true", "false"]).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export const ZMarkReadRequest = z.union([
  z.strictObject({ ids: z.array(zText().max(100)).min(1).max(500) }),
  z.strictObject({ all: z.literal(true) }),
]);
export type TMarkReadRequest = z.infer<typeof ZMarkReadRequest>;

export interface NotificationView {
  id: string;
  kind: string;
  title: string;
  body: string;
  keyId: string | null;
  /** Where the notice leads in the portal (the key, the token pages, the webhooks), if anywhere. */
  link: string | null;
  createdAt: string;
  read: boolean;
  /** How the email side went: "pending", "queued" (in an email), "skipped" (preferences). */
  email: string;
}

export async function listNotifications(
  userId: string,
  query: z.input<typeof ZListNotificationsQuery>,
  timeZone: string,
) {
  const { unread, page, pageSize } = ZListNotificationsQuery.parse(query);
  const where = { userId, ...(unread === "true" ? { readAt: null } : {}) };
  const rows = await prisma.notification.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    skip: (page - 1) * pageSize,
    take: pageSize + 1,
  });
  const now = new Date();
  const items: NotificationView[] = rows.slice(0, pageSize).map((n) => ({
    id: n.id,
    kind: n.kind,
    title: noticeTitle(n, 1),
    body: noticeLine(n.kind, n, now, timeZone),
    keyId: n.keyId,
    link: noticePath(n.kind, n),
    createdAt: n.createdAt.toISOString(),
    read: n.readAt !== null,
    email: n.emailStatus.toLowerCase(),
  }));
  return { items, page, pageSize, hasNext: rows.length > pageSize };
}

export function unreadCount(userId: string): Promise<number> {
  return prisma.notification.count({ where: { userId, readAt: null } });
}

/** Marks the user's own notices read; ids of other users' notices are ignored, not an error. */
export async function markRead(userId: string, request: TMarkReadRequest): Promise<{ updated: number }> {
  const result = await prisma.notification.updateMany({
    where: { userId, readAt: null, ...("ids" in request ? { id: { in: request.ids } } : {}) },
    data: { readAt: new Date() },
  });
  return { updated: result.count };
}
