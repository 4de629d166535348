import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { prisma } from "@/lib/db/client";
import { env } from "@/lib/env";
import { newDeviceSignInEmail, queueAccountEmail, recentAccountEmails, sendSoon } from "@/lib/notify/account-emails";
import { deviceLabel } from "./device-label";
import { methodLabel } from "./method-label";

/** A long-lived random cookie naming the browser, so a new device is told from a known one. */
export const DEVICE_COOKIE = "keyward.device";
export const DEVICE_COOKIE_MAX_AGE_S = 400 * 24 * 3600; // the longest a browser keeps a cookie

/** Session rows unused this long are deleted at the user's next sign-in (sessions last 7 days). */
const DEAD_AFTER_MS = 30 * 24 * 3600_000;
/** Known devices kept per account: the oldest go first. */
const MAX_KNOWN_DEVICES = 100;
/** New-device emails per account per hour: someone cycling cookies cannot flood the inbox. */
const MAX_NEW_DEVICE_EMAILS_PER_HOUR = 5;

export interface SessionStart {
  userId: string;
  email: string;
  name: string | null;
  emailVerified: boolean;
  sessionVersion: number;
  /** next-auth's provider id: credentials, github, oidc, … */
  method: string;
  userAgent: string | null;
  ip: string | null;
  /** The browser's device cookie, if it sent one. */
  deviceToken: string | undefined;
}

const isDeviceToken = (value: string | undefined): value is string =>
  typeof value === "string" && /^[A-Za-z0-9_-]{32}$/.test(value);
const hashDevice = (token: string) => createHash("sha256").update(token).digest("hex");

/**
 * Records a sign-in: a session row whose id goes into the session's JWT (sid), and the browser as
 * a known device. The first sign-in from a device the account has not used before emails the
 * owner, once per device; an account's very first device is not news, and neither is a browser
 * signing in again. Answers the session id and the device token the browser must keep.
 */
export async function startSession(start: SessionStart): Promise<{ sessionId: string; deviceToken: string }> {
  const deviceToken = isDeviceToken(start.deviceToken) ? start.deviceToken : randomBytes(24).toString("base64url");
  const userAgent = start.userAgent ? start.userAgent.slice(0, 512) : null;
  const device = deviceLabel(userAgent);
  const now = new Date();
  const { sessionId, emailId } = await prisma.$transaction(async (tx) => {
    await tx.userSession.deleteMany({
      where: { userId: start.userId, lastSeenAt: { lt: new Date(now.getTime() - DEAD_AFTER_MS) } },
    });
    const session = await tx.userSession.create({
      data: {
        userId: start.userId,
        method: start.method,
        sessionVersion: start.sessionVersion,
        userAgent,
        device,
        ip: start.ip,
        createdAt: now,
        lastSeenAt: now,
      },
      select: { id: true },
    });
    const added = await tx.knownDevice.createMany({
      data: [{ userId: start.userId, deviceHash: hashDevice(deviceToken), device, firstSeenAt: now }],
      skipDuplicates: true,
    });
    if (added.count === 0) return { sessionId: session.id, emailId: null };
    const known = await tx.knownDevice.count({ where: { userId: start.userId } });
    if (known > MAX_KNOWN_DEVICES) {
      const oldest = await tx.knownDevice.findMany({
        where: { userId: start.userId },
        orderBy: { firstSeenAt: "asc" },
        take: known - MAX_KNOWN_DEVICES,
        select: { deviceHash: true },
      });
      await tx.knownDevice.deleteMany({
        where: { userId: start.userId, deviceHash: { in: oldest.map((d) => d.deviceHash) } },
      });
    }
    // Only an address its owner proved gets mail; the first device of an account is not news.
    if (known === 1 || !start.emailVerified) return { sessionId: session.id, emailId: null };
    if (
      (await recentAccountEmails(tx, start.userId, "NEW_DEVICE_SIGN_IN", new Date(now.getTime() - 3_600_000))) >=
      MAX_NEW_DEVICE_EMAILS_PER_HOUR
    ) {
      return { sessionId: session.id, emailId: null };
    }
    const email = newDeviceSignInEmail(
      start.name,
      { device, ip: start.ip, at: now, method: methodLabel(start.method) },
      env.APP_URL,
    );
    return {
      sessionId: session.id,
      emailId: await queueAccountEmail(tx, start.userId, start.email, "NEW_DEVICE_SIGN_IN", email),
    };
  });
  if (emailId) sendSoon(emailId);
  return { sessionId, deviceToken };
}
