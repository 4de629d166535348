"use client";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { ApiError, callApi } from "@/components/keys/api-client";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, Input, Select } from "@/components/ui/field";
import type { KeyView } from "@/lib/keys/read/key-view";
import { useBlacklistTarget } from "./blacklist-target";

type Reason = "LEAKED" | "REVOKED";
type Outcome = { tone: "success" | "error"; message: string };

/**
 * Blacklists one key, found by its pasted plaintext or picked from the table. The pasted key
 * goes to the API only: it is never put in the URL, a message or the page after submitting.
 */
export function BlacklistKeyForm() {
  const router = useRouter();
  const { target, pick } = useBlacklistTarget();
  const [pasted, setPasted] = useState("");
  const [reason, setReason] = useState<Reason>("LEAKED");
  const [note, setNote] = useState("");
  const [pending, setPending] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const reasonRef = useRef<HTMLSelectElement>(null);

  // A row's "Blacklist" button brings the admin here, to the first thing left to decide.
  useEffect(() => {
    if (!target) return;
    // A new key picked from the table starts a new decision; the old outcome is about another key.
    // eslint-disable-next-line react-hooks/set-state-in-effect -- reset, scroll and focus belong together, once per pick
    setOutcome(null);
    reasonRef.current?.scrollIntoView({ block: "center", behavior: "smooth" });
    reasonRef.current?.focus({ preventScroll: true });
  }, [target]);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setPending(true);
    setOutcome(null);
    try {
      const by = target ? { keyId: target.id } : { key: pasted.trim() };
      const view = await callApi<KeyView>("POST", "/api/v1/admin/blacklist", {
        ...by,
        reason,
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      setOutcome({
        tone: "success",
        message: `Blacklisted ${view.masked} (${view.owner.type === "team" ? `team ${view.owner.name}` : (view.owner.email ?? view.owner.name)}) as ${reason}.`,
      });
      setPasted("");
      setNote("");
      pick(null);
      router.refresh();
    } catch (error) {
      setOutcome({
        tone: "error",
        message:
          error instanceof ApiError
            ? [error.message, ...error.fieldErrors.map((f) => `${f.path}: ${f.message}`)].join(" ")
            : "Could not reach Keyward. Check your connection and try again.",
      });
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={submit} className="space-y-4" aria-labelledby="blacklist-heading" data-testid="blacklist-form">
      {outcome ? (
        <Alert tone={outcome.tone} role={outcome.tone === "error" ? "alert" : "status"}>
          {outcome.message}
        </Alert>
      ) : null}
      {target ? (
        <div className="flex items-start justify-between gap-3 rounded-md bg-zinc-50 px-3 py-2 text-sm ring-1 ring-zinc-200 dark:bg-zinc-950 dark:ring-zinc-800">
          <p>
            <span className="block text-xs text-zinc-500 dark:text-zinc-400">Selected key</span>
            <span className="font-mono">{target.masked}</span> · {target.name}
            {target.ownerLabel ? (
              <span className="block text-zinc-500 dark:text-zinc-400">{target.ownerLabel}</span>
            ) : null}
          </p>
          <Button variant="ghost" onClick={() => pick(null)} aria-label="Clear the selected key and paste one instead">
            Clear
          </Button>
        </div>
      ) : (
        <Field
          id="leaked-key"
          label="Leaked key"
          hint="Paste the full key. It is hashed for the lookup, never stored or shown."
        >
          <Input
            id="leaked-key"
            type="password"
            value={pasted}
            onChange={(e) => setPasted(e.target.value)}
            required
            maxLength={200}
            autoComplete="off"
            spellCheck={false}
            autoCapitalize="none"
            autoCorrect="off"
            placeholder="kw_…"
            className="font-mono"
          />
        </Field>
      )}
      <Field id="blacklist-reason" label="Reason">
        <Select
          id="blacklist-reason"
          ref={reasonRef}
          value={reason}
          onChange={(e) => setReason(e.target.value as Reason)}
        >
          <option value="LEAKED">Leaked (exposed somewhere)</option>
          <option value="REVOKED">Revoked (not exposed)</option>
        </Select>
      </Field>
      <Field
        id="blacklist-note"
        label="Note (optional)"
        hint="Kept with the blacklist entry and in the audit log, e.g. where it was found."
      >
        <Input id="blacklist-note" value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} />
      </Field>
      <Button type="submit" variant="danger" disabled={pending}>
        {pending ? "Blacklisting…" : "Blacklist key"}
      </Button>
    </form>
  );
}
