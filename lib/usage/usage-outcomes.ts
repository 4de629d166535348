// The outcomes usage counts per key and hour (KeyUsageHour.outcome): every answer about a key
// that exists. MALFORMED and NOT_FOUND name no key, so they are not counted here.
export const USAGE_OUTCOMES = [
  "VALID",
  "EXPIRED",
  "REVOKED",
  "RATE_LIMITED",
  "IP_REQUIRED",
  "IP_NOT_ALLOWED",
  "INSUFFICIENT_SCOPE",
  "USAGE_EXCEEDED",
] as const;
export type UsageOutcome = (typeof USAGE_OUTCOMES)[number];

/** Index of each outcome in a counts array (the recorder keeps one array per key and hour). */
export const OUTCOME_INDEX: Record<UsageOutcome, number> = Object.fromEntries(
  USAGE_OUTCOMES.map((o, i) => [o, i]),
) as Record<UsageOutcome, number>;

export const HOUR_MS = 3_600_000;
