import "server-only";
import { z } from "zod";
import { zText } from "@/lib/api/text";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import { githubEnabled } from "@/lib/auth/github";
import { blockedUntil, recordFailure, recordSuccess, throttleKeys } from "@/lib/auth/throttle";
import { prisma } from "@/lib/db/client";
import { env } from "@/lib/env";
import { KeywardError, rateLimited } from "@/lib/errors";
import { authenticate } from "@/lib/users/authenticate";
import { externalLinkOf, GITHUB } from "@/lib/users/external-accounts";
import { factorsOf, proveSecondFactor } from "@/lib/second-factor";

// "Sudo mode" (GitHub's name): a session proves its person again before a dangerous action when
// its last authentication (sign-in, or re-authentication here) is older than RECENT_AUTH_MS.
// The moment rides in the session's JWT (authAt, lib/auth/index.ts). Routes declare it with
// withApi's `recentAuth`; API tokens are exempt (they carry scopes instead, and no person).

export const RECENT_AUTH_MS = 10 * 60_000;

export const ZReauthRequest = z.union([
  z.strictObject({ password: zText().min(1).max(200) }),
  z.strictObject({ otp: zText().trim().min(1).max(64) }),
]);
export type TReauthRequest = z.infer<typeof ZReauthRequest>;

export const isRecent = (authAt: number | null, now = Date.now()) =>
  authAt !== null && authAt <= now + 5_000 && now - authAt <= RECENT_AUTH_MS;

export const reauthPath = "/api/v1/me/reauth";

export function reauthRequired(): KeywardError {
  return new KeywardError(
    "REAUTH_REQUIRED",
    "This action needs you to confirm who you are: your last sign-in was more than 10 minutes ago. Send your password or a code to the reauthUrl, then retry.",
    undefined,
    { extra: { reauthUrl: `${env.APP_URL}${reauthPath}` } },
  );
}

export interface ReauthOptions {
  /** When the session last authenticated; null when it never did (a session from before). */
  recentAuthUntil: string | null;
  methods: { password: boolean; otp: boolean; github: boolean };
}

export async function reauthOptions(userId: string, authAt: number | null): Promise<ReauthOptions> {
  const [link, factors] = await Promise.all([externalLinkOf(userId, GITHUB), factorsOf(userId)]);
  return {
    recentAuthUntil: authAt !== null && isRecent(authAt) ? new Date(authAt + RECENT_AUTH_MS).toISOString() : null,
    methods: { password: link.hasPassword, otp: factors.includes("totp"), github: githubEnabled && link.linked },
  };
}

/**
 * Checks a password or a second factor of the signed-in person, throttled like sign-in (a stolen
 * session cannot guess the password here any faster than at the sign-in form).
 */
export async function reauthenticate(
  user: { id: string; email: string },
  input: TReauthRequest,
  actor: Actor,
): Promise<void> {
  // Signed in already: the account's count only, as a password change does.
  const keys = [throttleKeys(user.email, actor.ip).account];
  const tooMany = (until: Date) =>
    rateLimited(
      Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000)),
      "Too many wrong passwords or codes. Wait, then try again.",
    );
  if ("password" in input) {
    const until = await blockedUntil(keys);
    if (until) throw tooMany(until);
    const ok = (await authenticate(user.email, input.password))?.id === user.id;
    if (!ok) {
      await recordFailure(keys);
      await recordAudit(prisma, actor, "auth.reauth_failed", null, { method: "password" });
      throw new KeywardError("UNPROCESSABLE", "Wrong password.", [{ path: "password", message: "wrong password" }]);
    }
    await recordSuccess(throttleKeys(user.email, actor.ip));
    await recordAudit(prisma, actor, "auth.reauthenticated", null, { method: "password" });
    return;
  }
  const outcome = await proveSecondFactor(user.id, { otp: input.otp }, { ip: actor.ip, signedIn: true });
  if (!outcome.ok) {
    if (outcome.reason === "throttled") throw tooMany(outcome.until);
    await recordAudit(prisma, actor, "auth.reauth_failed", null, { method: "otp" });
    throw new KeywardError("UNPROCESSABLE", "That code is not right, or was used already.", [
      { path: "otp", message: "wrong code" },
    ]);
  }
  await recordAudit(prisma, actor, "auth.reauthenticated", null, { method: outcome.method });
}
