// One colour and one label per usage outcome, so every usage chart reads the same way.
import type { UsageOutcome } from "@/lib/usage/usage-outcomes";

export const OUTCOME_STYLE: Record<UsageOutcome, { label: string; color: string }> = {
  VALID: { label: "Valid", color: "#6366f1" },
  EXPIRED: { label: "Expired", color: "#f59e0b" },
  REVOKED: { label: "Revoked", color: "#dc2626" },
  RATE_LIMITED: { label: "Rate-limited", color: "#ea580c" },
  IP_REQUIRED: { label: "IP required", color: "#a855f7" },
  IP_NOT_ALLOWED: { label: "IP not allowed", color: "#c026d3" },
  INSUFFICIENT_SCOPE: { label: "Insufficient scope", color: "#0ea5e9" },
  USAGE_EXCEEDED: { label: "Usage exceeded", color: "#e11d48" },
};
