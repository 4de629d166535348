"use client";
import { Field, Input, Select } from "@/components/ui/field";

/** What a new key or token may be given as its expiry (the site's presets and lifetime rules). */
export interface ExpiryChoices {
  presets: number[];
  /** 0: no maximum. */
  maxLifetimeDays: number;
  allowNever: boolean;
}

interface Props {
  /** Prefix of the fields' ids ("key" → key-expiry, key-date). */
  idPrefix: string;
  choices: ExpiryChoices;
  expiry: string;
  onExpiry: (value: string) => void;
  date: string;
  onDate: (value: string) => void;
  minDate?: string;
  maxDate?: string;
}

/** "Expires": a preset number of days, a date (then asked for), or never where allowed. */
export function ExpiryField({ idPrefix, choices, expiry, onExpiry, date, onDate, minDate, maxDate }: Props) {
  return (
    <>
      <Field id={`${idPrefix}-expiry`} label="Expires">
        <Select id={`${idPrefix}-expiry`} value={expiry} onChange={(e) => onExpiry(e.target.value)}>
          {choices.presets
            .filter((d) => choices.maxLifetimeDays === 0 || d <= choices.maxLifetimeDays)
            .map((d) => (
              <option key={d} value={String(d)}>
                In {d} days
              </option>
            ))}
          <option value="date">On a date…</option>
          {choices.allowNever ? <option value="never">Never</option> : null}
        </Select>
      </Field>
      {expiry === "date" ? (
        <Field id={`${idPrefix}-date`} label="Expiry date (end of day, UTC)">
          <Input
            id={`${idPrefix}-date`}
            type="date"
            value={date}
            min={minDate}
            max={maxDate}
            onChange={(e) => onDate(e.target.value)}
            required
          />
        </Field>
      ) : null}
    </>
  );
}
