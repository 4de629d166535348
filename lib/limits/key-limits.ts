// What an owner may bound about a key (issue dialog, key detail, the keys API), as one shape:
// a rate limit, the client addresses allowed to use it, and a cap on successful verifications.
// The database keeps them as columns of ApiKey (rateLimitMax/rateLimitWindowSeconds,
// allowedCidrs, usageCap); this module converts both ways and validates what people send.
import { z } from "zod";
import { normalizeCidr } from "@/lib/net/cidr";

export const RATE_WINDOWS = { second: 1, minute: 60, hour: 3600, day: 86_400 } as const;
export type RateWindow = keyof typeof RATE_WINDOWS;

/** Allowed addresses per key at most: an allowlist is a handful of networks, not a blocklist. */
export const MAX_ALLOWED_CIDRS = 100;
/** Largest rate limit count and usage cap an owner may set (past these, "unlimited" is meant). */
export const MAX_RATE_LIMIT = 1_000_000_000;
export const MAX_USAGE_CAP = 1_000_000_000_000;

const ZRateWindow = z.enum(Object.keys(RATE_WINDOWS) as [RateWindow, ...RateWindow[]]);

const ZCidr = z
  .string()
  .max(60)
  .transform((value, ctx) => {
    const normalized = normalizeCidr(value);
    if (normalized === null) {
      ctx.addIssue({
        code: "custom",
        message: `Not an IP address or CIDR: "${value.slice(0, 60)}" (e.g. 203.0.113.0/24, 2001:db8::/32)`,
      });
      return z.NEVER;
    }
    return normalized;
  });

export const ZRateLimit = z.strictObject({
  limit: z.number().int().min(1).max(MAX_RATE_LIMIT),
  window: ZRateWindow,
});
export type TRateLimit = z.infer<typeof ZRateLimit>;

/** Every limit, each optional: absent leaves it as it is (update) or unset (issue). */
export const ZKeyLimits = z.strictObject({
  /** null removes the rate limit. */
  rateLimit: ZRateLimit.nullable().optional(),
  /** Empty: any address may use the key. */
  allowedIps: z
    .array(ZCidr)
    .max(MAX_ALLOWED_CIDRS, `At most ${MAX_ALLOWED_CIDRS} addresses or networks`)
    .transform((cidrs) => [...new Set(cidrs)])
    .optional(),
  /** null removes the cap. */
  usageCap: z.number().int().min(1).max(MAX_USAGE_CAP).nullable().optional(),
});
export type TKeyLimits = z.infer<typeof ZKeyLimits>;

/** A key's limits as the API and pages show them. */
export interface KeyLimitsView {
  rateLimit: TRateLimit | null;
  allowedIps: string[];
  usageCap: number | null;
}

export interface KeyLimitColumns {
  rateLimitMax: number | null;
  rateLimitWindowSeconds: number | null;
  allowedCidrs: string[] | null;
  usageCap: bigint | null;
}

export function windowName(seconds: number): RateWindow {
  const entry = Object.entries(RATE_WINDOWS).find(([, s]) => s === seconds);
  if (!entry) throw new Error(`Not a rate limit window: ${seconds} s`);
  return entry[0] as RateWindow;
}

export function limitsView(row: KeyLimitColumns): KeyLimitsView {
  return {
    rateLimit:
      row.rateLimitMax !== null && row.rateLimitWindowSeconds !== null
        ? { limit: row.rateLimitMax, window: windowName(row.rateLimitWindowSeconds) }
        : null,
    allowedIps: row.allowedCidrs ?? [],
    usageCap: row.usageCap === null ? null : Number(row.usageCap),
  };
}

/** What limitColumns writes: the allowlist column is never null (empty: any address). */
export type KeyLimitWrite = Partial<Omit<KeyLimitColumns, "allowedCidrs"> & { allowedCidrs: string[] }>;

/** The columns to write for the limits given (those absent are left out: unchanged). */
export function limitColumns(limits: TKeyLimits): KeyLimitWrite {
  const columns: KeyLimitWrite = {};
  if (limits.rateLimit !== undefined) {
    columns.rateLimitMax = limits.rateLimit?.limit ?? null;
    columns.rateLimitWindowSeconds = limits.rateLimit ? RATE_WINDOWS[limits.rateLimit.window] : null;
  }
  if (limits.allowedIps !== undefined) columns.allowedCidrs = limits.allowedIps;
  if (limits.usageCap !== undefined) columns.usageCap = limits.usageCap === null ? null : BigInt(limits.usageCap);
  return columns;
}

/** Whether the request names any limit (issue: whether the audit entry mentions limits). */
export function namesAnyLimit(limits: TKeyLimits): boolean {
  return limits.rateLimit !== undefined || limits.allowedIps !== undefined || limits.usageCap !== undefined;
}

export function hasLimits(view: KeyLimitsView): boolean {
  return view.rateLimit !== null || view.allowedIps.length > 0 || view.usageCap !== null;
}

export function sameLimits(a: KeyLimitsView, b: KeyLimitsView): boolean {
  return (
    a.rateLimit?.limit === b.rateLimit?.limit &&
    a.rateLimit?.window === b.rateLimit?.window &&
    a.usageCap === b.usageCap &&
    a.allowedIps.length === b.allowedIps.length &&
    a.allowedIps.every((cidr, i) => cidr === b.allowedIps[i])
  );
}

/** One line for people (key history, audit): "100 per minute, 2 allowed networks, cap 5,000 uses". */
export function describeLimits(view: KeyLimitsView): string {
  const parts: string[] = [];
  if (view.rateLimit) parts.push(`${view.rateLimit.limit.toLocaleString("en")} per ${view.rateLimit.window}`);
  if (view.allowedIps.length === 1) parts.push(`only from ${view.allowedIps[0]}`);
  else if (view.allowedIps.length > 1) parts.push(`${view.allowedIps.length} allowed networks`);
  if (view.usageCap !== null)
    parts.push(`cap ${view.usageCap.toLocaleString("en")} use${view.usageCap === 1 ? "" : "s"}`);
  return parts.length > 0 ? parts.join(", ") : "no limits";
}
