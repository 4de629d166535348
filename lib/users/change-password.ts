import "server-only";
import { z } from "zod";
import { zText } from "@/lib/api/text";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { blockedUntil, recordFailure, recordSuccess, throttleKeys } from "@/lib/auth/throttle";
import { prisma } from "@/lib/db/client";
import { forbidden, KeywardError, rateLimited } from "@/lib/errors";
import { ZNewPassword } from "./account-fields";

export const ZChangePasswordRequest = z.strictObject({
  /** Required when the account has a password (a GitHub-only account sets its first one). */
  currentPassword: zText().max(200).optional(),
  password: ZNewPassword,
});
export type TChangePasswordRequest = z.infer<typeof ZChangePasswordRequest>;

/**
 * Sets a new password and ends every session of the account (a stolen session dies with the old
 * password). Guessing the current password here is throttled like signing in.
 */
export async function changePassword(
  userId: string,
  input: TChangePasswordRequest,
  actor: Actor,
): Promise<{ email: string }> {
  const user = await prisma.user.findUniqueOrThrow({
    where: { id: userId },
    select: { email: true, passwordHash: true },
  });
  if (user.passwordHash) {
    if (!input.currentPassword) {
      throw new KeywardError("UNPROCESSABLE", "Enter your current password.", [
        { path: "currentPassword", message: "required" },
      ]);
    }
    // The caller is signed in, so the account's count is the one that matters (a shared
    // client address must not be locked out by one user mistyping).
    const keys = [throttleKeys(user.email, actor.ip).account];
    const until = await blockedUntil(keys);
    if (until)
      throw rateLimited(Math.ceil((until.getTime() - Date.now()) / 1000), "Too many wrong passwords. Try again later.");
    if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
      await recordFailure(keys);
      await recordAudit(prisma, actor, "auth.sign_in_failed", null, {
        reason: "wrong current password (password change)",
      });
      throw forbidden("The current password is wrong.");
    }
    await recordSuccess(throttleKeys(user.email, actor.ip));
  }
  const passwordHash = await hashPassword(input.password);
  await prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { passwordHash, sessionVersion: { increment: 1 } } });
    await recordAudit(tx, actor, "user.password_changed", null, { first: user.passwordHash === null });
  });
  return { email: user.email };
}
