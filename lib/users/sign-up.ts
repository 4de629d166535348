import "server-only";
import { z } from "zod";
import { zText } from "@/lib/api/text";
import { recordAudit } from "@/lib/audit/record-audit";
import { hashPassword } from "@/lib/auth/password";
import { Prisma, prisma } from "@/lib/db/client";
import { queueAccountEmail, recentAccountEmails, sendSoon, signUpAttemptEmail } from "@/lib/notify/account-emails";
import { env } from "@/lib/env";
import { ZEmailAddress, ZNewPassword } from "./account-fields";
import { startVerification } from "./email-verification";

export const ZSignUpRequest = z.strictObject({
  email: ZEmailAddress,
  name: zText().trim().min(1, "Enter your name").max(100),
  password: ZNewPassword,
});
export type TSignUpRequest = z.infer<typeof ZSignUpRequest>;

/**
 * Sign-up. The answer is the same whether or not the address has an account ("check your
 * inbox"), and so is the work (a password hash every time): what happens is told only to the
 * address itself.
 * - A new address: an unverified account and a link to verify it.
 * - A verified account's address: an email saying someone tried (at most one an hour).
 * - An unverified account's address: a link that, used, verifies the address and replaces that
 *   account's name and password with these (whoever made it never proved the address).
 */
export async function signUp(input: TSignUpRequest, ip: string | null): Promise<void> {
  const passwordHash = await hashPassword(input.password);
  const emailId = await prisma
    .$transaction(async (tx) => {
      const existing = await tx.user.findUnique({
        where: { email: input.email },
        select: { id: true, email: true, name: true, emailVerifiedAt: true },
      });
      if (!existing) {
        const user = await tx.user.create({
          data: { email: input.email, name: input.name, passwordHash },
          select: { id: true, email: true, name: true },
        });
        await recordAudit(tx, { id: user.id, label: user.email, ip }, "user.signed_up", null, { method: "password" });
        return startVerification(tx, user);
      }
      await recordAudit(tx, { id: null, label: input.email, ip }, "user.sign_up_for_existing_address", null, {
        verified: existing.emailVerifiedAt !== null,
      });
      if (!existing.emailVerifiedAt) return startVerification(tx, existing, { name: input.name, passwordHash });
      if ((await recentAccountEmails(tx, existing.id, "SIGN_UP_ATTEMPT", new Date(Date.now() - 3_600_000))) > 0)
        return null;
      return queueAccountEmail(
        tx,
        existing.id,
        existing.email,
        "SIGN_UP_ATTEMPT",
        signUpAttemptEmail(existing.name, env.APP_URL),
      );
    })
    .catch((error: unknown) => {
      // Two sign-ups for one new address at once: the other one made the account and the email.
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return null;
      throw error;
    });
  if (emailId) sendSoon(emailId);
}
