import "server-only";
import { prisma } from "@/lib/db/client";
import { env } from "@/lib/env";
import { rateLimitKey } from "@/lib/net/client-address";

// Failed sign-ins are throttled per account and per client, in PostgreSQL so every instance
// sees the same counts. A few failures are free; after that each failure makes the next attempt
// wait twice as long; past a limit the key is locked for a while. A refused attempt is answered
// before the password is checked, so a flood costs a row read, not a 32 MiB scrypt each, and it
// does not count as a failure (the lockout ends when it says it ends, however hard it is hit).
// The same counters bound what sends email to an address anyone may type: sign-ups per client,
// password-reset requests per address and per client.

interface Policy {
  /** Failures that cost nothing. */
  free: number;
  /** The failure that locks the key for lockMs. */
  lockAt: number;
  lockMs: number;
  /** Delay after the first failure past `free`, doubling with each further one. */
  baseDelayMs: number;
  /** Failures older than this (since the last one) are forgotten. */
  windowMs: number;
}

const MINUTE = 60_000;

/** Failed sign-ins for one address. */
export const ACCOUNT_POLICY: Policy = {
  free: 5,
  lockAt: 10,
  lockMs: 15 * MINUTE,
  baseDelayMs: 2000,
  windowMs: 15 * MINUTE,
};
/** Failed sign-ins from one client, whatever addresses it tries. */
export const CLIENT_POLICY: Policy = {
  free: 20,
  lockAt: 50,
  lockMs: 15 * MINUTE,
  baseDelayMs: 1000,
  windowMs: 15 * MINUTE,
};
/** Sign-ups from one client (each may send an email to any address): 10 an hour. */
export const SIGN_UP_POLICY: Policy = {
  free: 10,
  lockAt: 10,
  lockMs: 60 * MINUTE,
  baseDelayMs: 60 * MINUTE,
  windowMs: 60 * MINUTE,
};
/** `n` attempts an hour, then none until the hour since the n-th is over. */
const perHour = (n: number): Policy => ({
  free: n,
  lockAt: n,
  lockMs: 60 * MINUTE,
  baseDelayMs: 60 * MINUTE,
  windowMs: 60 * MINUTE,
});
/**
 * Password-reset requests for one address, whoever asks and whether or not it has an account (so
 * the refusal tells nothing): 3 an hour, each of which may email it a link.
 */
export const RESET_ADDRESS_POLICY: Policy = perHour(3);

export interface ThrottleKeys {
  account: string;
  client: string;
}

export function throttleKeys(email: string, ip: string | null): ThrottleKeys {
  return { account: `account:${email.toLowerCase().slice(0, 254)}`, client: `client:${rateLimitKey(ip)}` };
}

export const signUpKey = (ip: string | null) => `signup:${rateLimitKey(ip)}`;

/** Keys of a password-reset request: its address, and its client (PASSWORD_RESET_RATE_LIMIT an hour). */
export function passwordResetKeys(email: string, ip: string | null): string[] {
  const address = `reset:${email.toLowerCase().slice(0, 254)}`;
  return env.PASSWORD_RESET_RATE_LIMIT > 0 ? [address, `reset-client:${rateLimitKey(ip)}`] : [address];
}

const keysOf = (keys: ThrottleKeys | string[]) => (Array.isArray(keys) ? keys : [keys.account, keys.client]);

/** When the next attempt may be made after `failures` failures, the last at `lastAt`. */
export function nextAllowedAt(policy: Policy, failures: number, lastAt: Date, lockedUntil: Date | null): Date | null {
  if (lockedUntil) return lockedUntil;
  if (failures <= policy.free) return null;
  const delay = Math.min(policy.baseDelayMs * 2 ** (failures - policy.free - 1), policy.lockMs);
  return new Date(lastAt.getTime() + delay);
}

/** null when an attempt may go ahead now; otherwise the moment it may. */
export async function blockedUntil(keys: ThrottleKeys | string[], now = new Date()): Promise<Date | null> {
  const rows = await prisma.signInThrottle.findMany({ where: { key: { in: keysOf(keys) } } });
  let until: Date | null = null;
  for (const row of rows) {
    if (
      now.getTime() - row.lastAt.getTime() > policyOf(row.key).windowMs &&
      !(row.lockedUntil && row.lockedUntil > now)
    )
      continue;
    const at = nextAllowedAt(policyOf(row.key), row.failures, row.lastAt, row.lockedUntil);
    if (at && at > now && (!until || at > until)) until = at;
  }
  return until;
}

/** Counts a failure (or, for sign-ups, an attempt) atomically: two instances at once both count. */
export async function recordFailure(keys: ThrottleKeys | string[], now = new Date()): Promise<void> {
  for (const key of keysOf(keys)) {
    const policy = policyOf(key);
    const windowStart = new Date(now.getTime() - policy.windowMs);
    const lockUntil = new Date(now.getTime() + policy.lockMs);
    await prisma.$executeRaw`
      INSERT INTO "SignInThrottle" (key, failures, "firstAt", "lastAt", "lockedUntil")
      VALUES (${key}, 1, ${now}, ${now}, NULL)
      ON CONFLICT (key) DO UPDATE SET
        failures = CASE WHEN "SignInThrottle"."lastAt" < ${windowStart} AND ("SignInThrottle"."lockedUntil" IS NULL OR "SignInThrottle"."lockedUntil" <= ${now})
                        THEN 1 ELSE "SignInThrottle".failures + 1 END,
        "firstAt" = CASE WHEN "SignInThrottle"."lastAt" < ${windowStart} THEN ${now} ELSE "SignInThrottle"."firstAt" END,
        "lastAt" = ${now},
        "lockedUntil" = CASE
          WHEN "SignInThrottle"."lockedUntil" > ${now} THEN "SignInThrottle"."lockedUntil"
          WHEN "SignInThrottle"."lastAt" >= ${windowStart} AND "SignInThrottle".failures + 1 >= ${policy.lockAt} THEN ${lockUntil}
          ELSE NULL END`;
  }
}

/** A right password clears the account's failures (not the client's: it may be guessing others). */
export async function recordSuccess(keys: ThrottleKeys): Promise<void> {
  await prisma.signInThrottle.deleteMany({ where: { key: keys.account } });
}

/** Rows nobody has failed on for a day are dead weight; the sweep calls this. */
export async function purgeThrottles(now = new Date()): Promise<number> {
  const { count } = await prisma.signInThrottle.deleteMany({
    where: {
      lastAt: { lt: new Date(now.getTime() - 24 * 60 * MINUTE) },
      OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }],
    },
  });
  return count;
}

function policyOf(key: string): Policy {
  if (key.startsWith("account:")) return ACCOUNT_POLICY;
  if (key.startsWith("signup:")) return SIGN_UP_POLICY;
  if (key.startsWith("reset:")) return RESET_ADDRESS_POLICY;
  if (key.startsWith("reset-client:")) return perHour(env.PASSWORD_RESET_RATE_LIMIT);
  return CLIENT_POLICY;
}
