"use client";
// The key page's "Limits" card: what the owner bounded (rate limit, allowed client IPs, usage
// cap), and a dialog to change them through the keys API (PATCH /api/v1/keys/:id/limits).
import { useRouter } from "next/navigation";
import { useState, type ReactNode } from "react";
import { ApiError, callApi } from "@/components/keys/api-client";
import { draftOf, LimitsFields, limitsOf, type LimitsDraft } from "@/components/keys/limits-fields";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import type { KeyLimitsView } from "@/lib/limits/key-limits";

interface Props {
  keyId: string;
  keyName: string;
  limits: KeyLimitsView;
  usageCount: number;
  lastClientIp: string | null;
  /** Whether this viewer may change them (the key's issuer or a team admin) and the key still works. */
  canChange: boolean;
  /** Why not, when the viewer could but the key no longer works. */
  unchangeableReason?: string;
}

export function LimitsCard({ keyId, keyName, limits, usageCount, lastClientIp, canChange, unchangeableReason }: Props) {
  return (
    <section
      aria-labelledby="limits-heading"
      className="rounded-xl bg-white p-5 shadow-sm ring-1 ring-zinc-200 dark:bg-zinc-900 dark:ring-zinc-800"
    >
      <div className="mb-4 flex flex-wrap items-center justify-between gap-2">
        <h2 id="limits-heading" className="text-lg font-semibold">
          Limits
        </h2>
        {canChange ? <ChangeLimitsDialog keyId={keyId} keyName={keyName} limits={limits} /> : null}
      </div>
      <dl className="grid gap-x-8 gap-y-4 sm:grid-cols-2 lg:grid-cols-4" data-testid="key-limits">
        <Item label="Rate limit">
          {limits.rateLimit ? `${limits.rateLimit.limit.toLocaleString("en")} per ${limits.rateLimit.window}` : "None"}
        </Item>
        <Item label="Allowed IPs">
          {limits.allowedIps.length === 0 ? (
            "Any address"
          ) : (
            <ul className="space-y-0.5">
              {limits.allowedIps.map((cidr) => (
                <li key={cidr}>
                  <code className="font-mono text-xs">{cidr}</code>
                </li>
              ))}
            </ul>
          )}
        </Item>
        <Item label="Usage cap">
          {limits.usageCap === null
            ? "None"
            : `${usageCount.toLocaleString("en")} of ${limits.usageCap.toLocaleString("en")} used${usageCount >= limits.usageCap ? " (reached: USAGE_EXCEEDED)" : ""}`}
        </Item>
        <Item label="Last client IP">
          {lastClientIp ? <code className="font-mono text-xs">{lastClientIp}</code> : "—"}
        </Item>
      </dl>
      {!canChange && unchangeableReason ? (
        <p className="mt-4 text-sm text-zinc-600 dark:text-zinc-400">{unchangeableReason}</p>
      ) : null}
    </section>
  );
}

function ChangeLimitsDialog({ keyId, keyName, limits }: { keyId: string; keyName: string; limits: KeyLimitsView }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState<LimitsDraft>(() => draftOf(limits));
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  function start() {
    setDraft(draftOf(limits)); // what the key has now, not what was typed last time
    setError(null);
    setOpen(true);
  }

  async function save(event: React.FormEvent) {
    event.preventDefault();
    setError(null);
    let body;
    try {
      body = limitsOf(draft);
    } catch (e) {
      setError((e as Error).message);
      return;
    }
    setPending(true);
    try {
      await callApi("PATCH", `/api/v1/keys/${keyId}/limits`, body);
      setOpen(false);
      router.refresh();
    } catch (e) {
      setError(
        e instanceof ApiError
          ? [e.message, ...e.fieldErrors.map((f) => f.message)].join(" ")
          : "Could not change the limits.",
      );
    } finally {
      setPending(false);
    }
  }

  return (
    <>
      <Button variant="secondary" onClick={start}>
        Change limits
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        title={`Limits of “${keyName}”`}
        description="Every service verifying this key obeys the new limits from its next request."
      >
        <form onSubmit={save} className="space-y-4">
          {error ? <Alert tone="error">{error}</Alert> : null}
          <LimitsFields idPrefix="change-limits" draft={draft} onChange={setDraft} />
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={pending}>
              {pending ? "Saving…" : "Save limits"}
            </Button>
          </div>
        </form>
      </Dialog>
    </>
  );
}

function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt className="text-xs font-medium uppercase tracking-wide text-zinc-500">{label}</dt>
      <dd className="mt-1 text-sm">{children}</dd>
    </div>
  );
}
