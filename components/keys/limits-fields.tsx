"use client";
// The limits an owner may set on a key, as form fields: shared by the issue dialog and the key
// page's "Change limits" dialog. The server validates (lib/limits/key-limits.ts); this only turns
// what was typed into the API's shape, and catches what is not a whole number before sending.
import { Field, Input, Select, Textarea } from "@/components/ui/field";
import type { KeyLimitsView, RateWindow } from "@/lib/limits/key-limits";

const WINDOWS: { value: RateWindow; label: string }[] = [
  { value: "second", label: "per second" },
  { value: "minute", label: "per minute" },
  { value: "hour", label: "per hour" },
  { value: "day", label: "per day" },
];

/** What the fields hold, as typed. */
export interface LimitsDraft {
  rateCount: string;
  rateWindow: RateWindow;
  allowedIps: string;
  usageCap: string;
}

export const EMPTY_LIMITS: LimitsDraft = { rateCount: "", rateWindow: "minute", allowedIps: "", usageCap: "" };

export function draftOf(limits: KeyLimitsView): LimitsDraft {
  return {
    rateCount: limits.rateLimit ? String(limits.rateLimit.limit) : "",
    rateWindow: limits.rateLimit?.window ?? "minute",
    allowedIps: limits.allowedIps.join("\n"),
    usageCap: limits.usageCap === null ? "" : String(limits.usageCap),
  };
}

/**
 * The API's limits for a draft: every limit, an empty field meaning none. Throws a message for
 * a count that is not a whole number (the number inputs make that rare).
 */
export function limitsOf(draft: LimitsDraft): KeyLimitsView {
  const whole = (text: string, what: string): number | null => {
    const trimmed = text.trim();
    if (trimmed === "") return null;
    if (!/^\d+$/.test(trimmed)) throw new Error(`${what} must be a whole number.`);
    return Number(trimmed);
  };
  const limit = whole(draft.rateCount, "The rate limit");
  return {
    rateLimit: limit === null ? null : { limit, window: draft.rateWindow },
    allowedIps: draft.allowedIps
      .split(/[\s,]+/)
      .map((line) => line.trim())
      .filter(Boolean),
    usageCap: whole(draft.usageCap, "The usage cap"),
  };
}

export function LimitsFields({
  idPrefix,
  draft,
  onChange,
}: {
  idPrefix: string;
  draft: LimitsDraft;
  onChange: (draft: LimitsDraft) => void;
}) {
  const set = (patch: Partial<LimitsDraft>) => onChange({ ...draft, ...patch });
  return (
    <div className="space-y-4">
      <div className="space-y-1">
        <label htmlFor={`${idPrefix}-rate`} className="block text-sm font-medium">
          Rate limit
        </label>
        <div className="flex gap-2">
          <Input
            id={`${idPrefix}-rate`}
            type="number"
            inputMode="numeric"
            min={1}
            step={1}
            placeholder="No limit"
            value={draft.rateCount}
            onChange={(e) => set({ rateCount: e.target.value })}
          />
          <div className="w-36 shrink-0">
            <Select
              aria-label="Window"
              value={draft.rateWindow}
              onChange={(e) => set({ rateWindow: e.target.value as RateWindow })}
            >
              {WINDOWS.map((w) => (
                <option key={w.value} value={w.value}>
                  {w.label}
                </option>
              ))}
            </Select>
          </div>
        </div>
        <p className="text-xs text-zinc-500 dark:text-zinc-400">
          Verifications allowed per window; past it, RATE_LIMITED (the gate: 429). Empty: no rate limit.
        </p>
      </div>
      <Field
        id={`${idPrefix}-ips`}
        label="Allowed IPs"
        hint="One address or network per line, IPv4 or IPv6 (203.0.113.0/24, 2001:db8::/32). Empty: any address. With a list, services that verify the key must send the client's ip."
      >
        <Textarea
          id={`${idPrefix}-ips`}
          rows={3}
          spellCheck={false}
          className="font-mono"
          placeholder="Any address"
          value={draft.allowedIps}
          onChange={(e) => set({ allowedIps: e.target.value })}
        />
      </Field>
      <Field
        id={`${idPrefix}-cap`}
        label="Usage cap"
        hint="Successful verifications in total, after which the key answers USAGE_EXCEEDED until the cap is raised. Empty: no cap."
      >
        <Input
          id={`${idPrefix}-cap`}
          type="number"
          inputMode="numeric"
          min={1}
          step={1}
          placeholder="No cap"
          value={draft.usageCap}
          onChange={(e) => set({ usageCap: e.target.value })}
        />
      </Field>
    </div>
  );
}
