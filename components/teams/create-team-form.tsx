"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { callApi } from "@/components/keys/api-client";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { messageOf } from "./use-team-call";

/** A name (and optionally a URL slug); the creator becomes the team's owner. */
export function CreateTeamForm({ canCreate }: { canCreate: boolean }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    try {
      const slug = String(data.get("slug") ?? "").trim();
      const team = await callApi<{ slug: string }>("POST", "/api/v1/teams", {
        name: String(data.get("name") ?? ""),
        ...(slug ? { slug } : {}),
      });
      router.push(`/teams/${team.slug}`);
    } catch (e) {
      setError(messageOf(e));
      setPending(false);
    }
  }
  if (!canCreate) return <Alert tone="info">Verify your email address to create a team.</Alert>;
  return (
    <form onSubmit={submit} className="space-y-4">
      {error ? <Alert tone="error">{error}</Alert> : null}
      <Field id="team-name" label="Team name">
        <Input id="team-name" name="name" required maxLength={80} placeholder="Payments" />
      </Field>
      <Field
        id="team-slug"
        label="Address (optional)"
        hint="Lower-case letters, digits and dashes; made from the name if empty."
      >
        <Input
          id="team-slug"
          name="slug"
          maxLength={40}
          pattern="[a-z0-9](?:[a-z0-9\-]{0,38}[a-z0-9])?"
          placeholder="payments"
        />
      </Field>
      <Button type="submit" disabled={pending}>
        {pending ? "Creating…" : "Create team"}
      </Button>
    </form>
  );
}
