import "server-only";
import { prisma } from "@/lib/db/client";
import { serviceUnavailable } from "@/lib/errors";

export type ChallengePurpose = "REGISTER" | "AUTHENTICATE";

/** How long a browser has to answer a challenge (also the options' `timeout`). */
export const CHALLENGE_TTL_MS = 5 * 60_000;
/** Registration challenges one account may have open at once (a few tabs); older ones go. */
const OPEN_PER_USER = 5;
/**
 * Sign-in challenges anyone may have open at once, over every client. The public options route is
 * rate-limited per client; this bounds the table against many clients at once.
 */
export const MAX_OPEN_SIGN_IN_CHALLENGES = 50_000;

/**
 * Keeps a challenge the browser will sign, for CHALLENGE_TTL_MS. Expired ones are cleaned on the
 * way (an index probe on expiresAt), so the table holds only what may still be answered.
 */
export async function storeChallenge(
  challenge: string,
  purpose: ChallengePurpose,
  userId: string | null,
  now = new Date(),
): Promise<void> {
  await prisma.webAuthnChallenge.deleteMany({ where: { expiresAt: { lte: now } } });
  if (userId) {
    await prisma.$executeRaw`
      DELETE FROM "WebAuthnChallenge" WHERE id IN (
        SELECT id FROM "WebAuthnChallenge" WHERE "userId" = ${userId} AND purpose = ${purpose}::"WebAuthnPurpose"
        ORDER BY "createdAt" DESC OFFSET ${OPEN_PER_USER - 1})`;
  } else {
    // Counting stops at the bound: a cheap check however full the table is.
    const [counted] = await prisma.$queryRaw<{ open: number }[]>`
      SELECT count(*)::int AS open FROM (SELECT 1 FROM "WebAuthnChallenge" WHERE "userId" IS NULL LIMIT ${MAX_OPEN_SIGN_IN_CHALLENGES}) AS t`;
    if ((counted?.open ?? 0) >= MAX_OPEN_SIGN_IN_CHALLENGES)
      throw serviceUnavailable("Too many passkey sign-ins are under way. Try again in a minute.", 60);
  }
  await prisma.webAuthnChallenge.create({
    data: { challenge, purpose, userId, expiresAt: new Date(now.getTime() + CHALLENGE_TTL_MS) },
  });
}

/**
 * Takes a challenge for the one answer that may use it: the row is deleted in the same statement
 * that reads it, so two answers at once (or one replayed) cannot both have it. null when it was
 * never issued for this purpose, was used already, or has expired.
 */
export async function takeChallenge(
  challenge: string,
  purpose: ChallengePurpose,
  now = new Date(),
): Promise<{ challenge: string; userId: string | null } | null> {
  const rows = await prisma.$queryRaw<{ challenge: string; userId: string | null; expiresAt: Date }[]>`
    DELETE FROM "WebAuthnChallenge" WHERE challenge = ${challenge} AND purpose = ${purpose}::"WebAuthnPurpose"
    RETURNING challenge, "userId", "expiresAt"`;
  const row = rows[0];
  if (!row || row.expiresAt <= now) return null;
  return { challenge: row.challenge, userId: row.userId };
}

/** The challenge a response answers, read from its clientDataJSON (base64url JSON); null if none. */
export function challengeOf(clientDataJSON: string): string | null {
  try {
    const data = JSON.parse(Buffer.from(clientDataJSON, "base64url").toString("utf8")) as { challenge?: unknown };
    return typeof data.challenge === "string" && data.challenge.length > 0 && data.challenge.length <= 512
      ? data.challenge
      : null;
  } catch {
    return null;
  }
}
