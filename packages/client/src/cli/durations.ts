// The CLI's time and expiry arguments: `7d`, `24h` for a span; `30d`, `2027-01-31`, `never` for
// a new key's or token's expiry (the server decides which lifetimes it allows).
import type { Expiry } from "../types.js";
import { UsageError } from "./exit-codes.js";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** "7d" or "36h" in milliseconds. */
export function parseSpan(text: string, option: string): number {
  const match = /^(\d{1,4})([dh])$/.exec(text.trim());
  if (!match) throw new UsageError(`${option} takes a span such as 7d or 36h, not "${text}"`);
  return Number(match[1]) * (match[2] === "d" ? DAY_MS : HOUR_MS);
}

export function parseExpiry(text: string): Expiry {
  const value = text.trim();
  if (value === "never") return { type: "never" };
  const days = /^(\d{1,4})d$/.exec(value);
  if (days) return { type: "days", days: Number(days[1]) as Extract<Expiry, { type: "days" }>["days"] };
  if (/^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value))) return { type: "date", date: value };
  throw new UsageError(`--expires takes 7d, 30d, 60d, 90d, a date (2027-01-31) or never, not "${text}"`);
}
