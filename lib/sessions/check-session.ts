import "server-only";
import { prisma } from "@/lib/db/client";

/** lastSeenAt is written at most this often per session: a busy page costs no extra writes. */
export const TOUCH_INTERVAL_MS = 60_000;
/** Sessions this instance remembers touching; past it the oldest are forgotten (a touch again). */
const MAX_TRACKED = 10_000;
const touchedAt = new Map<string, number>();

/**
 * Notes that a session was used, from where: lastSeenAt and the address, written in the
 * background at most once a minute. This instance remembers when it last wrote each session, so
 * a request in between costs nothing; the write itself is conditional, so instances sharing a
 * session write it once a minute between them.
 */
export function touchSession(sessionId: string, ip: string | null, now = Date.now()): void {
  if (now - (touchedAt.get(sessionId) ?? 0) < TOUCH_INTERVAL_MS) return;
  void prisma.userSession
    .updateMany({
      where: { id: sessionId, endedAt: null, lastSeenAt: { lt: new Date(now - TOUCH_INTERVAL_MS) } },
      data: { lastSeenAt: new Date(now), ...(ip ? { ip } : {}) },
    })
    .then(({ count }) => {
      // Not written (used within the minute, maybe by another instance): ask again next time.
      if (count === 0) return;
      touchedAt.delete(sessionId);
      touchedAt.set(sessionId, now);
      if (touchedAt.size > MAX_TRACKED) touchedAt.delete(touchedAt.keys().next().value!);
    })
    .catch((error: unknown) =>
      console.error(`[keyward] touching session ${sessionId} failed:`, error instanceof Error ? error.message : error),
    );
}

/** Whether a session row is alive for this user: it exists and has not been ended. */
export async function isSessionLive(sessionId: string, userId: string): Promise<boolean> {
  const row = await prisma.userSession.findUnique({
    where: { id: sessionId },
    select: { userId: true, endedAt: true },
  });
  return row !== null && row.userId === userId && row.endedAt === null;
}
