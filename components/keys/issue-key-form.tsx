"use client";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, Input, Select } from "@/components/ui/field";
import { callApi, refusalText } from "./api-client";
import { ExpiryField } from "./expiry-field";
import { EMPTY_LIMITS, LimitsFields, limitsOf, type LimitsDraft } from "./limits-fields";
import { NewKeyReveal } from "./new-key-reveal";

export interface IssueOptions {
  scopes: string[];
  presets: number[];
  allowNever: boolean;
  maxLifetimeDays: number;
}

/** Who may own the key: "" for the person, else a team id (teams where they are at least MEMBER). */
export interface OwnerChoice {
  value: string;
  label: string;
}

type ExpiryChoice = string; // "7" | "30" | … | "date" | "never"

function expiryBody(choice: ExpiryChoice, date: string) {
  if (choice === "never") return { type: "never" };
  if (choice === "date") return { type: "date", date };
  return { type: "days", days: Number(choice) };
}

export function IssueKeyForm({
  options,
  owners = [],
  defaultOwner = "",
  onIssued,
}: {
  options: IssueOptions;
  owners?: OwnerChoice[];
  defaultOwner?: string;
  onIssued?: () => void;
}) {
  // The date picker's bounds count from when the form opened, not from each render.
  const [openedAt] = useState(() => Date.now());
  const [owner, setOwner] = useState(defaultOwner);
  const [name, setName] = useState("");
  const [expiry, setExpiry] = useState<ExpiryChoice>("30");
  const [date, setDate] = useState("");
  const [scopes, setScopes] = useState<string[]>(options.scopes.slice(0, 1));
  const [limits, setLimits] = useState<LimitsDraft>(EMPTY_LIMITS);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [plaintext, setPlaintext] = useState<string | null>(null);

  if (plaintext) {
    return (
      <NewKeyReveal
        plaintext={plaintext}
        onDone={() => {
          setPlaintext(null);
          setName("");
          setLimits(EMPTY_LIMITS);
          onIssued?.();
        }}
      />
    );
  }

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setError(null);
    let chosen;
    try {
      chosen = limitsOf(limits);
    } catch (e) {
      setError((e as Error).message);
      return;
    }
    setPending(true);
    try {
      const issued = await callApi<{ plaintext: string }>("POST", "/api/v1/keys", {
        name,
        scopes,
        expiry: expiryBody(expiry, date),
        ...(owner ? { teamId: owner } : {}),
        // Only the limits chosen: a key without any is issued exactly as before limits existed.
        ...(chosen.rateLimit ? { rateLimit: chosen.rateLimit } : {}),
        ...(chosen.allowedIps.length > 0 ? { allowedIps: chosen.allowedIps } : {}),
        ...(chosen.usageCap !== null ? { usageCap: chosen.usageCap } : {}),
      });
      setPlaintext(issued.plaintext);
    } catch (e) {
      setError(refusalText(e, "Could not issue the key."));
    } finally {
      setPending(false);
    }
  }

  const maxDate =
    options.maxLifetimeDays > 0
      ? new Date(openedAt + options.maxLifetimeDays * 86_400_000).toISOString().slice(0, 10)
      : undefined;
  return (
    <form onSubmit={submit} className="space-y-4">
      {error ? <Alert tone="error">{error}</Alert> : null}
      {owners.length > 1 ? (
        <Field id="key-owner" label="Owner" hint="A team's key belongs to the team: it keeps working if you leave.">
          <Select id="key-owner" value={owner} onChange={(e) => setOwner(e.target.value)}>
            {owners.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </Select>
        </Field>
      ) : null}
      <Field id="key-name" label="Name" hint="What uses this key, e.g. “billing-worker (prod)”.">
        <Input
          id="key-name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
          maxLength={100}
          autoFocus
        />
      </Field>
      <ExpiryField
        idPrefix="key"
        choices={options}
        expiry={expiry}
        onExpiry={setExpiry}
        date={date}
        onDate={setDate}
        minDate={new Date(openedAt + 86_400_000).toISOString().slice(0, 10)}
        maxDate={maxDate}
      />
      <fieldset>
        <legend className="text-sm font-medium">Scopes</legend>
        <div className="mt-2 flex flex-wrap gap-4">
          {options.scopes.map((scope) => (
            <label key={scope} className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                className="h-4 w-4 rounded border-zinc-300 text-indigo-600"
                checked={scopes.includes(scope)}
                onChange={(e) => setScopes(e.target.checked ? [...scopes, scope] : scopes.filter((s) => s !== scope))}
              />
              {scope}
            </label>
          ))}
        </div>
      </fieldset>
      <details className="rounded-md ring-1 ring-zinc-200 dark:ring-zinc-800">
        <summary className="cursor-pointer select-none px-3 py-2 text-sm font-medium">Limits (optional)</summary>
        <div className="border-t border-zinc-200 p-3 dark:border-zinc-800">
          <LimitsFields idPrefix="issue-limits" draft={limits} onChange={setLimits} />
        </div>
      </details>
      <Button type="submit" disabled={pending}>
        {pending ? "Issuing…" : "Issue key"}
      </Button>
    </form>
  );
}
