"use client";
import { useState } from "react";
import { callApi } from "@/components/keys/api-client";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { useTeamCall } from "./use-team-call";

/** Owners rename the team. */
export function RenameTeamForm({ teamId, name }: { teamId: string; name: string }) {
  const { status, pending, run } = useTeamCall();
  const [value, setValue] = useState(name);
  return (
    <form
      className="flex flex-wrap items-end gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        return run("rename", async () => {
          await callApi("PATCH", `/api/v1/teams/${teamId}`, { name: value });
          return "Renamed.";
        });
      }}
    >
      {status ? <Alert tone={status.tone}>{status.text}</Alert> : null}
      <div className="min-w-56 flex-1">
        <Field id="team-rename" label="Name">
          <Input id="team-rename" required maxLength={80} value={value} onChange={(e) => setValue(e.target.value)} />
        </Field>
      </div>
      <Button type="submit" variant="secondary" disabled={pending !== null || value.trim() === name}>
        Save
      </Button>
    </form>
  );
}

/** Deleting needs every team key to have stopped working first; typing the name confirms. */
export function DeleteTeamForm({ teamId, name, workingKeys }: { teamId: string; name: string; workingKeys: number }) {
  const { status, pending, run } = useTeamCall();
  const [typed, setTyped] = useState("");
  return (
    <form
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        return run("delete", async () => {
          await callApi("DELETE", `/api/v1/teams/${teamId}`);
          // eslint-disable-next-line @next/next/no-location-assign-relative-destination -- a full load on purpose: no page state (or session) survives this change
          window.location.assign("/teams");
        });
      }}
    >
      {status ? <Alert tone={status.tone}>{status.text}</Alert> : null}
      {workingKeys > 0 ? (
        <p className="text-sm text-zinc-700 dark:text-zinc-300">
          {workingKeys} of the team’s keys still work. Revoke them, or rotate each to another owner (the key’s Rotate
          dialog offers the owners you can choose), before deleting the team.
        </p>
      ) : (
        <p className="text-sm text-zinc-700 dark:text-zinc-300">
          No team key works. Deleting removes the members, invitations, webhooks and API tokens; its audit log stays.
        </p>
      )}
      <Field id="delete-team-confirm" label={`Type “${name}” to confirm`}>
        <Input id="delete-team-confirm" value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" />
      </Field>
      <Button type="submit" variant="danger" disabled={pending !== null || typed !== name}>
        Delete team
      </Button>
    </form>
  );
}
