// How long a new key lives: a preset, a date, or never (only where the admin allows it), and
// never longer than the admin's maximum lifetime.
import { z } from "zod";
import { KeywardError } from "@/lib/errors";

export const EXPIRY_PRESET_DAYS = [7, 30, 60, 90] as const;

export const ZExpiry = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("days"),
    days: z.union(EXPIRY_PRESET_DAYS.map((d) => z.literal(d))),
  }),
  z.strictObject({ type: z.literal("date"), date: z.iso.datetime({ offset: true }).or(z.iso.date()) }),
  z.strictObject({ type: z.literal("never") }),
]);
export type TExpiry = z.infer<typeof ZExpiry>;

export interface ExpiryRules {
  maxLifetimeDays: number;
  allowNeverExpires: boolean;
}

const DAY = 86_400_000;

export function resolveExpiry(expiry: TExpiry, now: Date, rules: ExpiryRules): Date | null {
  if (expiry.type === "never") {
    if (!rules.allowNeverExpires) {
      throw new KeywardError("UNPROCESSABLE", "Keys that never expire are not allowed here. Choose an expiry.", [
        { path: "expiry", message: "never is not allowed" },
      ]);
    }
    return null;
  }
  const at =
    expiry.type === "days"
      ? new Date(now.getTime() + expiry.days * DAY)
      : // A bare date means the end of that day, UTC: "expires on 5 Dec" includes 5 Dec.
        new Date(expiry.date.length === 10 ? `${expiry.date}T23:59:59.999Z` : expiry.date);
  if (at.getTime() <= now.getTime()) {
    throw new KeywardError("UNPROCESSABLE", "The expiry must be in the future.", [
      { path: "expiry.date", message: "must be in the future" },
    ]);
  }
  if (rules.maxLifetimeDays > 0 && at.getTime() > now.getTime() + rules.maxLifetimeDays * DAY) {
    throw new KeywardError("UNPROCESSABLE", `Keys may live at most ${rules.maxLifetimeDays} days here.`, [
      { path: "expiry", message: `at most ${rules.maxLifetimeDays} days` },
    ]);
  }
  return at;
}
