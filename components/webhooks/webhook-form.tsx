"use client";
import { useState } from "react";
import { callApi, refusalText } from "@/components/keys/api-client";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { SecretReveal } from "@/components/ui/secret-reveal";
import { EVENT_TYPES, KEY_EVENT_TYPES } from "@/lib/events/event-types";

const EVENT_HINTS: Record<string, string> = {
  "key.created": "issued or renewed",
  "key.expiring": "entered a reminder window",
  "key.idle": "unused: will be disabled unless used",
  "key.expired": "its expiry passed",
  "key.revoked": "revoked by its owner or an admin",
  "key.leaked": "blacklisted as leaked",
  "key.rotated": "replaced by a new key",
  "key.grace_ended": "a rotated key stopped working",
};

export interface WebhookFormValues {
  id?: string;
  url: string;
  description: string | null;
  eventTypes: string[];
}

/** Add an endpoint (then its signing secret, once) or edit one. */
export function WebhookForm({
  initial,
  scope,
  teamId,
  onDone,
}: {
  initial?: WebhookFormValues;
  scope: "personal" | "team" | "global";
  teamId?: string | null;
  onDone: () => void;
}) {
  const [url, setUrl] = useState(initial?.url ?? "");
  const [description, setDescription] = useState(initial?.description ?? "");
  const [events, setEvents] = useState<string[]>(initial?.eventTypes ?? [...KEY_EVENT_TYPES]);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);

  if (secret) return <SecretReveal value={secret} what="signing secret" testId="webhook-secret" onDone={onDone} />;

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setPending(true);
    setError(null);
    const body = {
      url: url.trim(),
      description: description.trim() || (initial ? null : undefined),
      eventTypes: events,
    };
    try {
      if (initial?.id) {
        await callApi("PATCH", `/api/v1/webhooks/${initial.id}`, body);
        onDone();
      } else {
        const created = await callApi<{ secret: string }>("POST", "/api/v1/webhooks", {
          ...body,
          scope,
          ...(scope === "team" && teamId ? { teamId } : {}),
        });
        setSecret(created.secret);
      }
    } catch (e) {
      setError(refusalText(e, "Could not save the endpoint."));
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={submit} className="space-y-4">
      {error ? <Alert tone="error">{error}</Alert> : null}
      <Field id="webhook-url" label="URL" hint="Keyward POSTs signed JSON here (Standard Webhooks).">
        <Input
          id="webhook-url"
          type="url"
          required
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          placeholder="https://example.com/hooks/keyward"
        />
      </Field>
      <Field id="webhook-description" label="Description (optional)">
        <Input
          id="webhook-description"
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          maxLength={200}
        />
      </Field>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium">Events</legend>
        {EVENT_TYPES.map((type) => (
          <label key={type} className="flex items-start gap-3 text-sm">
            <input
              type="checkbox"
              className="mt-0.5 h-4 w-4 rounded border-zinc-300 text-indigo-600"
              checked={events.includes(type)}
              onChange={(e) => setEvents(e.target.checked ? [...events, type] : events.filter((t) => t !== type))}
            />
            <span>
              <code className="font-mono">{type}</code>{" "}
              <span className="text-zinc-500 dark:text-zinc-400">— {EVENT_HINTS[type]}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <Button type="submit" disabled={pending || events.length === 0}>
        {pending ? "Saving…" : initial ? "Save" : "Add endpoint"}
      </Button>
    </form>
  );
}
