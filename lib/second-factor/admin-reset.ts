import "server-only";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import { prisma } from "@/lib/db/client";
import { env } from "@/lib/env";
import { KeywardError, notFound } from "@/lib/errors";
import { queueAccountEmail, secondFactorResetEmail, sendSoon } from "@/lib/notify/account-emails";
import { endAllSessions } from "@/lib/users/sessions";
import { removeSecondFactors } from "./index";

/**
 * Admin → Users: someone lost their authenticator and their recovery codes. Every second factor
 * of theirs is removed, every session of theirs ends (whoever holds one may be the reason), the
 * audit log says who did it, and the user is told by email, so a reset they did not ask for is
 * noticed. They sign in with their password next, and enrol again (REQUIRE_2FA may insist).
 */
export async function resetSecondFactor(targetId: string, actor: Actor): Promise<void> {
  const emailId = await prisma.$transaction(async (tx) => {
    const user = await tx.user.findUnique({
      where: { id: targetId, kind: "PERSON", deletedAt: null },
      select: { id: true, email: true, name: true },
    });
    if (!user) throw notFound("No such user.");
    if (!(await removeSecondFactors(tx, user.id)))
      throw new KeywardError("CONFLICT", "This user has no second factor to reset.");
    await recordAudit(tx, actor, "user.second_factor_reset", null, { userId: user.id, email: user.email });
    await endAllSessions(tx, user.id, actor, "second factor reset");
    return queueAccountEmail(
      tx,
      user.id,
      user.email,
      "SECOND_FACTOR_RESET",
      secondFactorResetEmail(user.name, env.APP_URL),
    );
  });
  sendSoon(emailId);
}
