"use client";
// API tokens, a person's (Settings → API tokens) or a team's (its owners and admins): the list,
// "Make a token" with its one-time reveal, and rotate / revoke per token. The same routes any
// script uses (/api/v1/tokens…), so the page can do nothing a token holder could not.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ApiError, callApi, refusalText } from "@/components/keys/api-client";
import { ExpiryField } from "@/components/keys/expiry-field";
import { StatusBadge } from "@/components/keys/status-badge";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, Input, Select } from "@/components/ui/field";
import { SecretReveal } from "@/components/ui/secret-reveal";
import { formatExact, formatRelative } from "@/lib/format/time";
import type { TokenView } from "@/lib/tokens/token-view";

export interface TokenOptions {
  /** The scopes this owner may give a token, with what each lets it do. */
  scopes: { value: string; description: string }[];
  presets: number[];
  maxLifetimeDays: number;
  allowNever: boolean;
}

interface Props {
  tokens: TokenView[];
  options: TokenOptions;
  /** A team's tokens (its id); absent: the person's own. */
  teamId?: string;
  now: string;
}

const works = (t: TokenView) => t.status === "ACTIVE" || t.status === "EXPIRING" || t.status === "GRACE";

export function TokensPanel({ tokens, options, teamId, now }: Props) {
  const at = new Date(now);
  return (
    <div className="space-y-4">
      <MakeTokenButton options={options} teamId={teamId} />
      {tokens.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">No API tokens yet.</p>
      ) : (
        <div className="overflow-x-auto rounded-xl ring-1 ring-zinc-200 dark:ring-zinc-800">
          <table className="w-full text-left text-sm" data-testid="tokens-table">
            <thead className="bg-zinc-50 text-xs uppercase tracking-wide text-zinc-500 dark:bg-zinc-900 dark:text-zinc-400">
              <tr>
                <th className="px-3 py-2">Name</th>
                <th className="px-3 py-2">Token</th>
                <th className="px-3 py-2">Scopes</th>
                <th className="px-3 py-2">Expires</th>
                <th className="px-3 py-2">Last used</th>
                <th className="px-3 py-2">Status</th>
                <th className="px-3 py-2">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
              {tokens.map((token) => (
                <tr key={token.id} data-testid={`token-${token.name}`}>
                  <td className="px-3 py-2 font-medium">
                    {token.name}
                    {token.issuedBy && teamId ? (
                      <div className="text-xs font-normal text-zinc-500">made by {token.issuedBy.label}</div>
                    ) : null}
                  </td>
                  <td className="px-3 py-2 font-mono text-xs">{token.masked}</td>
                  <td className="px-3 py-2 text-xs">{token.scopes.join(" ")}</td>
                  <td className="px-3 py-2 whitespace-nowrap">
                    {token.expiresAt ? (
                      <time dateTime={token.expiresAt} title={formatExact(token.expiresAt)}>
                        {formatRelative(
                          token.graceEndsAt && token.graceEndsAt < token.expiresAt
                            ? token.graceEndsAt
                            : token.expiresAt,
                          at,
                        )}
                      </time>
                    ) : (
                      "never"
                    )}
                  </td>
                  <td className="px-3 py-2 whitespace-nowrap" data-testid="token-last-used">
                    {token.lastUsedAt ? formatRelative(token.lastUsedAt, at) : "never"}
                  </td>
                  <td className="px-3 py-2">
                    <StatusBadge keyView={token} />
                  </td>
                  <td className="px-3 py-2 text-right whitespace-nowrap">
                    {works(token) && !token.replacedById ? (
                      <span className="inline-flex gap-2">
                        <RotateTokenButton token={token} />
                        <RevokeTokenButton token={token} />
                      </span>
                    ) : works(token) ? (
                      <RevokeTokenButton token={token} />
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function expiryBody(choice: string, date: string) {
  if (choice === "never") return { type: "never" };
  if (choice === "date") return { type: "date", date };
  return { type: "days", days: Number(choice) };
}

function MakeTokenButton({ options, teamId }: { options: TokenOptions; teamId?: string }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [expiry, setExpiry] = useState("30");
  const [date, setDate] = useState("");
  const [scopes, setScopes] = useState<string[]>(["keys:read"]);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [plaintext, setPlaintext] = useState<string | null>(null);
  // The list refreshes once the dialog closes, never while the one-time plaintext is on screen.
  const close = () => {
    setOpen(false);
    setPlaintext(null);
    setName("");
    setError(null);
    router.refresh();
  };

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setError(null);
    setPending(true);
    try {
      const made = await callApi<{ plaintext: string }>("POST", "/api/v1/tokens", {
        name,
        scopes,
        expiry: expiryBody(expiry, date),
        ...(teamId ? { teamId } : {}),
      });
      setPlaintext(made.plaintext);
    } catch (e) {
      setError(refusalText(e, "Could not make the token."));
    } finally {
      setPending(false);
    }
  }

  return (
    <>
      <Button onClick={() => setOpen(true)}>Make a token</Button>
      <Dialog
        open={open}
        onClose={close}
        title="Make an API token"
        description="For scripts, CI jobs and services: send it as Authorization: Bearer <token>. It is shown once."
      >
        {plaintext ? (
          <SecretReveal value={plaintext} what="token" testId="new-token" onDone={close} />
        ) : (
          <form onSubmit={submit} className="space-y-4">
            {error ? <Alert tone="error">{error}</Alert> : null}
            <Field id="token-name" label="Name" hint="What uses it, e.g. “ci: rotate payments key”.">
              <Input
                id="token-name"
                value={name}
                onChange={(e) => setName(e.target.value)}
                required
                maxLength={100}
                autoFocus
              />
            </Field>
            <ExpiryField
              idPrefix="token"
              choices={options}
              expiry={expiry}
              onExpiry={setExpiry}
              date={date}
              onDate={setDate}
            />
            <fieldset>
              <legend className="text-sm font-medium">Scopes</legend>
              <div className="mt-2 grid gap-2 sm:grid-cols-2">
                {options.scopes.map((scope) => (
                  <label key={scope.value} className="flex items-start gap-2 text-sm" title={scope.description}>
                    <input
                      type="checkbox"
                      className="mt-0.5 h-4 w-4 rounded border-zinc-300 text-indigo-600"
                      checked={scopes.includes(scope.value)}
                      onChange={(e) =>
                        setScopes(e.target.checked ? [...scopes, scope.value] : scopes.filter((s) => s !== scope.value))
                      }
                    />
                    <span>
                      <span className="font-mono text-xs">{scope.value}</span>
                      <span className="block text-xs text-zinc-500 dark:text-zinc-400">{scope.description}</span>
                    </span>
                  </label>
                ))}
              </div>
            </fieldset>
            <Button type="submit" disabled={pending || scopes.length === 0}>
              {pending ? "Making…" : "Make token"}
            </Button>
          </form>
        )}
      </Dialog>
    </>
  );
}

function RotateTokenButton({ token }: { token: TokenView }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [grace, setGrace] = useState("24h");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [plaintext, setPlaintext] = useState<string | null>(null);
  const close = () => {
    setOpen(false);
    setPlaintext(null);
    setError(null);
    router.refresh();
  };
  async function rotate(event: React.FormEvent) {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      const rotated = await callApi<{ plaintext: string }>("POST", `/api/v1/tokens/${token.id}/rotate`, { grace });
      setPlaintext(rotated.plaintext);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : "Could not rotate the token.");
    } finally {
      setPending(false);
    }
  }
  return (
    <>
      <Button
        variant="secondary"
        className="py-1 text-xs"
        onClick={() => setOpen(true)}
        aria-label={`Rotate ${token.name}`}
      >
        Rotate
      </Button>
      <Dialog
        open={open}
        onClose={close}
        title={`Rotate “${token.name}”`}
        description="A new token with the same scopes; the old one keeps working for the grace period."
      >
        {plaintext ? (
          <SecretReveal value={plaintext} what="token" testId="new-token" onDone={close} />
        ) : (
          <form onSubmit={rotate} className="space-y-4">
            {error ? <Alert tone="error">{error}</Alert> : null}
            <Field id="token-grace" label="The old token keeps working">
              <Select id="token-grace" value={grace} onChange={(e) => setGrace(e.target.value)}>
                <option value="none">Not at all</option>
                <option value="1h">For 1 hour</option>
                <option value="24h">For 24 hours</option>
                <option value="7d">For 7 days</option>
              </Select>
            </Field>
            <Button type="submit" disabled={pending}>
              {pending ? "Rotating…" : "Rotate token"}
            </Button>
          </form>
        )}
      </Dialog>
    </>
  );
}

function RevokeTokenButton({ token }: { token: TokenView }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  async function revoke() {
    setPending(true);
    setError(null);
    try {
      await callApi("POST", `/api/v1/tokens/${token.id}/revoke`, {});
      setOpen(false);
      router.refresh();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : "Could not revoke the token.");
    } finally {
      setPending(false);
    }
  }
  return (
    <>
      <Button
        variant="danger"
        className="py-1 text-xs"
        onClick={() => setOpen(true)}
        aria-label={`Revoke ${token.name}`}
      >
        Revoke
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        title={`Revoke “${token.name}”?`}
        description="Whatever uses it is refused from its next request on, on every instance. This cannot be undone."
      >
        <div className="space-y-4">
          {error ? <Alert tone="error">{error}</Alert> : null}
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button variant="danger" disabled={pending} onClick={revoke}>
              {pending ? "Revoking…" : "Revoke token"}
            </Button>
          </div>
        </div>
      </Dialog>
    </>
  );
}
