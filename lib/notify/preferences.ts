import "server-only";
import { z } from "zod";
import { zText } from "@/lib/api/text";
import { prisma } from "@/lib/db/client";

export const ZPreferences = z.strictObject({
  emailReminders: z.boolean(),
  emailExpired: z.boolean(),
  emailBlacklisted: z.boolean(),
  timeZone: zText()
    .max(64)
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat("en", { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, "Unknown time zone"),
});
export type TPreferences = z.infer<typeof ZPreferences>;

/** PATCH /api/v1/me/preferences: any of them. */
export const ZUpdatePreferencesRequest = ZPreferences.partial();

const SELECT = { emailReminders: true, emailExpired: true, emailBlacklisted: true, timeZone: true } as const;

export function getPreferences(userId: string): Promise<TPreferences> {
  return prisma.user.findUniqueOrThrow({ where: { id: userId }, select: SELECT });
}

export function updatePreferences(userId: string, input: Partial<TPreferences>): Promise<TPreferences> {
  return prisma.user.update({ where: { id: userId }, data: input, select: SELECT });
}
