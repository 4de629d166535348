"use client";
import { useState } from "react";
import { callApi } from "@/components/keys/api-client";
import { messageOf } from "@/components/teams/use-team-call";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";

/** Typing the address again is the confirmation; the server checks it too. */
export function DeleteAccountForm({ email }: { email: string }) {
  const [typed, setTyped] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      await callApi("DELETE", "/api/v1/me", { confirmEmail: typed });
      // Every session ended with the account; the sign-in page says so.
      // eslint-disable-next-line @next/next/no-location-assign-relative-destination -- a full load on purpose: no page state (or session) survives this change
      window.location.assign("/sign-in?deleted=1");
    } catch (e) {
      setError(messageOf(e));
      setPending(false);
    }
  }
  return (
    <form onSubmit={submit} className="max-w-md space-y-4">
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Your personal keys stop working at once (revoked, “owner account deleted”). Keys you issued for a team stay the
        team’s and keep working. You can’t delete your account while you are the last owner of a team: make someone else
        an owner, or delete the team, first.
      </p>
      {error ? <Alert tone="error">{error}</Alert> : null}
      <Field id="delete-confirm" label={`Type ${email} to confirm`}>
        <Input
          id="delete-confirm"
          name="confirmEmail"
          autoComplete="off"
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
        />
      </Field>
      <Button type="submit" variant="danger" disabled={pending || typed.trim().toLowerCase() !== email}>
        {pending ? "Deleting…" : "Delete my account"}
      </Button>
    </form>
  );
}
