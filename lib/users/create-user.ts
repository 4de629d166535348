import "server-only";
import { z } from "zod";
import { zText } from "@/lib/api/text";
import { recordAudit } from "@/lib/audit/record-audit";
import { Prisma, prisma } from "@/lib/db/client";
import { KeywardError } from "@/lib/errors";
import { hashPassword } from "@/lib/auth/password";

export const ZSignUpRequest = z.strictObject({
  email: z.email("Enter a valid email address").max(254).transform((e) => e.toLowerCase()),
  name: zText().trim().min(1, "Enter your name").max(100),
  password: zText().min(8, "Use at least 8 characters").max(200),
});
export type TSignUpRequest = z.infer<typeof ZSignUpRequest>;

export async function createUser(input: TSignUpRequest, ip: string | null, role: "USER" | "ADMIN" = "USER") {
  const passwordHash = await hashPassword(input.password);
  try {
    return await prisma.$transaction(async (tx) => {
      const user = await tx.user.create({
        data: { email: input.email, name: input.name, passwordHash, role },
        select: { id: true, email: true, name: true, role: true },
      });
      await recordAudit(tx, { id: user.id, label: user.email, ip }, "user.signed_up", null);
      return user;
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new KeywardError("CONFLICT", "An account with this email already exists. Sign in instead.");
    }
    throw error;
  }
}
