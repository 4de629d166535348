"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, Select } from "@/components/ui/field";
import { ApiError, callApi } from "./api-client";
import { NewKeyReveal } from "./new-key-reveal";

const GRACE_LABELS = {
  none: "Stop working now",
  "1h": "Keep working for 1 hour",
  "24h": "Keep working for 24 hours",
  "7d": "Keep working for 7 days",
  "until-expiry": "Keep working until it expires",
} as const;
type Grace = keyof typeof GRACE_LABELS;

interface Props {
  keyId: string;
  keyName: string;
  /** "renew" for expiring/expired keys, "rotate" for a routine replacement. */
  mode: "renew" | "rotate";
  /** Whether the old key still works (grace only matters then) and whether it has an expiry. */
  oldKeyWorks: boolean;
  oldKeyExpires: boolean;
  presets: number[];
  initiallyOpen?: boolean;
  /** False once the key has been replaced: no button then. */
  canReplace: boolean;
  /** Other owners the new key may go to ("" for the person, else a team id); empty: keep the owner. */
  otherOwners?: { value: string; label: string }[];
  ownerName?: string;
}

export function RotateKeyDialog(props: Props) {
  const {
    keyId,
    keyName,
    mode,
    oldKeyWorks,
    oldKeyExpires,
    presets,
    initiallyOpen = false,
    canReplace,
    otherOwners = [],
    ownerName,
  } = props;
  const [newOwner, setNewOwner] = useState("keep");
  const router = useRouter();
  const [open, setOpen] = useState(initiallyOpen);
  const [grace, setGrace] = useState<Grace>(
    oldKeyWorks ? (mode === "renew" && oldKeyExpires ? "until-expiry" : "24h") : "none",
  );
  const [days, setDays] = useState(String(presets.includes(90) ? 90 : presets[0]));
  const [plaintext, setPlaintext] = useState<string | null>(null);
  const [newKeyId, setNewKeyId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const title = mode === "renew" ? `Renew “${keyName}”` : `Rotate “${keyName}”`;
  const graceChoices = (Object.keys(GRACE_LABELS) as Grace[]).filter((g) => g !== "until-expiry" || oldKeyExpires);

  function close() {
    setOpen(false);
    setPlaintext(null);
    setError(null);
    // To the new key with a full load: the banner, bell and both keys' pages are fresh, and
    // nothing re-rendered while the one-time plaintext was on screen.
    // eslint-disable-next-line @next/next/no-location-assign-relative-destination -- a full load on purpose: no page state (or session) survives this change
    if (newKeyId) window.location.assign(`/keys/${newKeyId}`);
    // Opened from a ?renew=1 link: drop the flag so a reload does not reopen the dialog.
    else if (initiallyOpen) router.replace(`/keys/${keyId}`, { scroll: false });
  }

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      const result = await callApi<{ plaintext: string; key: { id: string } }>("POST", `/api/v1/keys/${keyId}/rotate`, {
        grace: oldKeyWorks ? grace : "none",
        expiry: { type: "days", days: Number(days) },
        ...(newOwner === "keep" ? {} : { teamId: newOwner === "" ? null : newOwner }),
      });
      setPlaintext(result.plaintext);
      setNewKeyId(result.key.id);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : "Could not create the new key.");
    } finally {
      setPending(false);
    }
  }

  return (
    <>
      {canReplace ? (
        <Button variant={mode === "renew" ? "primary" : "secondary"} onClick={() => setOpen(true)}>
          {mode === "renew" ? "Renew" : "Rotate"}
        </Button>
      ) : null}
      <Dialog
        open={open}
        onClose={close}
        title={title}
        description="A new key with the same name and scopes replaces this one."
      >
        {plaintext ? (
          <NewKeyReveal plaintext={plaintext} onDone={close} />
        ) : (
          <form onSubmit={submit} className="space-y-4">
            {error ? <Alert tone="error">{error}</Alert> : null}
            <Field id="new-expiry" label="New key expires in">
              <Select id="new-expiry" value={days} onChange={(e) => setDays(e.target.value)}>
                {presets.map((d) => (
                  <option key={d} value={d}>
                    {d} days
                  </option>
                ))}
              </Select>
            </Field>
            {otherOwners.length > 0 ? (
              <Field
                id="new-owner"
                label="New key's owner"
                hint="Move the key to another owner, e.g. before deleting a team."
              >
                <Select id="new-owner" value={newOwner} onChange={(e) => setNewOwner(e.target.value)}>
                  <option value="keep">Same as now{ownerName ? ` (${ownerName})` : ""}</option>
                  {otherOwners.map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label}
                    </option>
                  ))}
                </Select>
              </Field>
            ) : null}
            {oldKeyWorks ? (
              <Field
                id="grace"
                label="The old key"
                hint="A grace period lets you deploy the new key before the old one stops working."
              >
                <Select id="grace" value={grace} onChange={(e) => setGrace(e.target.value as Grace)}>
                  {graceChoices.map((g) => (
                    <option key={g} value={g}>
                      {GRACE_LABELS[g]}
                    </option>
                  ))}
                </Select>
              </Field>
            ) : (
              <p className="text-sm text-zinc-600 dark:text-zinc-400">
                The old key no longer works, so there is no grace period to choose.
              </p>
            )}
            <div className="flex justify-end gap-2">
              <Button variant="secondary" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" disabled={pending}>
                {pending ? "Creating…" : mode === "renew" ? "Renew key" : "Rotate key"}
              </Button>
            </div>
          </form>
        )}
      </Dialog>
    </>
  );
}
