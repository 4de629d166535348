"use client";
// Settings → Security → Passkeys: the account's passkeys (name, added, last used), adding one with
// the browser's prompt, renaming and removing (after the portal's confirm dialog).
import { startRegistration, type PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/browser";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { useConfirm } from "@/components/ui/use-confirm";
import { callApi, refusalText } from "@/components/keys/api-client";
import { formatExact } from "@/lib/format/time";
import type { PasskeyView } from "@/lib/passkeys/manage-passkeys";
import { useWebAuthnSupported } from "./use-webauthn-supported";
import { webAuthnFailure } from "./webauthn-failure";

type Status = { tone: "success" | "error"; text: string } | null;

export function PasskeysSection({ initial, emailVerified }: { initial: PasskeyView[]; emailVerified: boolean }) {
  const [passkeys, setPasskeys] = useState(initial);
  const [status, setStatus] = useState<Status>(null);
  const [pending, setPending] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<string | null>(null);
  const supported = useWebAuthnSupported();
  const [confirmDialog, ask] = useConfirm();
  async function run(name: string, work: () => Promise<string>) {
    setPending(name);
    setStatus(null);
    try {
      setStatus({ tone: "success", text: await work() });
    } catch (e) {
      setStatus({ tone: "error", text: webAuthnFailure(e) ?? refusalText(e, "Something went wrong. Try again.") });
    } finally {
      setPending(null);
    }
  }

  async function add(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const name = String(new FormData(form).get("name") ?? "").trim();
    await run("add", async () => {
      const optionsJSON = await callApi<PublicKeyCredentialCreationOptionsJSON>("POST", "/api/v1/me/passkeys/options");
      const response = await startRegistration({ optionsJSON });
      const added = await callApi<PasskeyView>("POST", "/api/v1/me/passkeys", { response, name });
      setPasskeys((list) => [...list, added]);
      form.reset();
      return `Passkey “${added.name}” added. You can sign in with it alone from now on.`;
    });
  }

  async function rename(event: React.FormEvent<HTMLFormElement>, id: string) {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get("name") ?? "").trim();
    await run(`rename:${id}`, async () => {
      const renamed = await callApi<PasskeyView>("PATCH", `/api/v1/me/passkeys/${id}`, { name });
      setPasskeys((list) => list.map((p) => (p.id === id ? renamed : p)));
      setRenaming(null);
      return `Renamed to “${renamed.name}”.`;
    });
  }

  async function remove(passkey: PasskeyView) {
    if (
      !(await ask(
        `Remove the passkey “${passkey.name}”? It will no longer sign you in. (Delete it from the device too.)`,
        "Remove passkey",
      ))
    )
      return;
    await run(`remove:${passkey.id}`, async () => {
      await callApi("DELETE", `/api/v1/me/passkeys/${passkey.id}`);
      setPasskeys((list) => list.filter((p) => p.id !== passkey.id));
      return `Passkey “${passkey.name}” removed.`;
    });
  }

  return (
    <section aria-labelledby="passkeys-heading" className="max-w-2xl space-y-4">
      <h2 id="passkeys-heading" className="text-lg font-semibold">
        Passkeys
      </h2>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        A passkey signs you in with your device&apos;s screen lock, fingerprint or security key instead of a password.
        It is bound to this site, so a look-alike site cannot use it.
      </p>
      {status ? <Alert tone={status.tone}>{status.text}</Alert> : null}
      {passkeys.length === 0 ? (
        <p className="text-sm text-zinc-500">No passkeys yet.</p>
      ) : (
        <ul
          aria-label="Your passkeys"
          className="divide-y divide-zinc-200 rounded-lg ring-1 ring-zinc-200 dark:divide-zinc-800 dark:ring-zinc-800"
        >
          {passkeys.map((p) => (
            <li key={p.id} aria-label={p.name} className="flex flex-wrap items-center justify-between gap-3 px-4 py-3">
              {renaming === p.id ? (
                <form
                  onSubmit={(e) => rename(e, p.id)}
                  className="flex flex-1 flex-wrap items-end gap-2"
                  aria-label={`Rename ${p.name}`}
                >
                  <div className="min-w-48 flex-1">
                    <Field id={`rename-${p.id}`} label="New name">
                      <Input
                        id={`rename-${p.id}`}
                        name="name"
                        defaultValue={p.name}
                        maxLength={64}
                        required
                        autoFocus
                      />
                    </Field>
                  </div>
                  <Button type="submit" disabled={pending !== null}>
                    Save
                  </Button>
                  <Button variant="ghost" onClick={() => setRenaming(null)}>
                    Cancel
                  </Button>
                </form>
              ) : (
                <>
                  <div className="min-w-0 space-y-1">
                    <div className="flex flex-wrap items-center gap-2">
                      <span className="break-all font-medium">{p.name}</span>
                      {p.deviceType === "multiDevice" ? <Badge tone="blue">synced</Badge> : null}
                    </div>
                    <p className="text-xs text-zinc-500">
                      Added {formatExact(p.createdAt)} ·{" "}
                      {p.lastUsedAt ? `last used ${formatExact(p.lastUsedAt)}` : "never used"}
                    </p>
                  </div>
                  <div className="flex gap-2">
                    <Button
                      variant="secondary"
                      disabled={pending !== null}
                      onClick={() => setRenaming(p.id)}
                      aria-label={`Rename ${p.name}`}
                    >
                      Rename
                    </Button>
                    <Button
                      variant="secondary"
                      disabled={pending !== null}
                      onClick={() => remove(p)}
                      aria-label={`Remove ${p.name}`}
                    >
                      Remove
                    </Button>
                  </div>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {!supported ? (
        <p className="text-sm text-zinc-500">This browser cannot make passkeys.</p>
      ) : !emailVerified ? (
        <p className="text-sm text-zinc-500">Verify your address before you add a passkey.</p>
      ) : (
        <form onSubmit={add} className="flex flex-wrap items-end gap-2" aria-label="Add a passkey">
          <div className="min-w-48 flex-1">
            <Field id="passkey-name" label="Passkey name" hint="Which device or key this is, e.g. “Work laptop”.">
              <Input id="passkey-name" name="name" maxLength={64} required placeholder="Work laptop" />
            </Field>
          </div>
          <Button type="submit" disabled={pending !== null}>
            {pending === "add" ? "Waiting for your device…" : "Add a passkey"}
          </Button>
        </form>
      )}
      {confirmDialog}
    </section>
  );
}
