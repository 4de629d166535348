"use client";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { ApiError, callApi } from "@/components/keys/api-client";

interface Preferences {
  emailReminders: boolean;
  emailExpired: boolean;
  emailBlacklisted: boolean;
  timeZone: string;
}

const KINDS: { field: keyof Omit<Preferences, "timeZone">; label: string; hint: string }[] = [
  { field: "emailReminders", label: "Expiry reminders", hint: "Before a key expires (one email per reminder window)." },
  {
    field: "emailExpired",
    label: "Expired keys",
    hint: "When a key has expired, or a rotated key's grace period ended.",
  },
  {
    field: "emailBlacklisted",
    label: "Blacklisted keys",
    hint: "When an admin blacklists one of your keys (e.g. it leaked).",
  },
];

export function PreferencesForm({ initial, email }: { initial: Preferences; email: string }) {
  const [prefs, setPrefs] = useState(initial);
  const [status, setStatus] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const [pending, setPending] = useState(false);

  async function save(event: React.FormEvent) {
    event.preventDefault();
    setPending(true);
    setStatus(null);
    try {
      setPrefs(await callApi<Preferences>("PATCH", "/api/v1/me/preferences", prefs));
      setStatus({ tone: "success", text: "Saved." });
    } catch (e) {
      setStatus({
        tone: "error",
        text: e instanceof ApiError ? [e.message, ...e.fieldErrors.map((f) => f.message)].join(" ") : "Could not save.",
      });
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={save} className="max-w-lg space-y-5">
      {status ? <Alert tone={status.tone}>{status.text}</Alert> : null}
      <fieldset className="space-y-3">
        <legend className="text-sm font-medium">Email me at {email} about</legend>
        {KINDS.map(({ field, label, hint }) => (
          <label key={field} className="flex items-start gap-3 text-sm">
            <input
              type="checkbox"
              className="mt-0.5 h-4 w-4 rounded border-zinc-300 text-indigo-600"
              checked={prefs[field]}
              onChange={(e) => setPrefs({ ...prefs, [field]: e.target.checked })}
            />
            <span>
              <span className="font-medium">{label}</span>
              <span className="block text-zinc-500 dark:text-zinc-400">{hint}</span>
            </span>
          </label>
        ))}
        <p className="text-xs text-zinc-500">
          Every notice also appears under Notifications, whatever you choose here.
        </p>
      </fieldset>
      <Field
        id="time-zone"
        label="Time zone for dates in emails"
        hint="An IANA name, e.g. Europe/Berlin or America/New_York."
      >
        <Input
          id="time-zone"
          value={prefs.timeZone}
          onChange={(e) => setPrefs({ ...prefs, timeZone: e.target.value })}
          list="time-zones"
        />
      </Field>
      <datalist id="time-zones">
        {Intl.supportedValuesOf("timeZone").map((tz) => (
          <option key={tz} value={tz} />
        ))}
      </datalist>
      <Button type="submit" disabled={pending}>
        {pending ? "Saving…" : "Save"}
      </Button>
    </form>
  );
}
