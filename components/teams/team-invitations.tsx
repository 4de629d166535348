"use client";
import { useState } from "react";
import { callApi } from "@/components/keys/api-client";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, Input, Select } from "@/components/ui/field";
import type { InvitationView } from "@/lib/teams/invitations";
import { useTeamCall } from "./use-team-call";

/** Pending invitations (revoke) and a form to invite by email with a role. */
export function TeamInvitations({
  teamId,
  invitations,
  canInviteOwners,
}: {
  teamId: string;
  invitations: InvitationView[];
  canInviteOwners: boolean;
}) {
  const { status, pending, run } = useTeamCall();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState("MEMBER");
  const invite = (event: React.FormEvent) => {
    event.preventDefault();
    return run("invite", async () => {
      await callApi("POST", `/api/v1/teams/${teamId}/invitations`, { email, role });
      setEmail("");
      return `Invitation sent to ${email}. It works for 7 days.`;
    });
  };
  const revoke = (inv: InvitationView) =>
    run(`revoke-${inv.id}`, async () => {
      await callApi("DELETE", `/api/v1/teams/${teamId}/invitations/${inv.id}`);
      return `The invitation to ${inv.email} no longer works.`;
    });
  return (
    <div className="space-y-4">
      {status ? <Alert tone={status.tone}>{status.text}</Alert> : null}
      <form onSubmit={invite} className="flex flex-wrap items-end gap-3">
        <div className="min-w-56 flex-1">
          <Field id="invite-email" label="Email address">
            <Input
              id="invite-email"
              type="email"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              maxLength={254}
            />
          </Field>
        </div>
        <Field id="invite-role" label="Role">
          <Select id="invite-role" value={role} onChange={(e) => setRole(e.target.value)}>
            <option value="MEMBER">Member</option>
            <option value="ADMIN">Admin</option>
            {canInviteOwners ? <option value="OWNER">Owner</option> : null}
          </Select>
        </Field>
        <Button type="submit" disabled={pending !== null}>
          {pending === "invite" ? "Sending…" : "Invite"}
        </Button>
      </form>
      {invitations.length === 0 ? (
        <p className="text-sm text-zinc-500 dark:text-zinc-400">No pending invitations.</p>
      ) : (
        <ul className="divide-y divide-zinc-200 rounded-xl bg-white shadow-sm ring-1 ring-zinc-200 dark:divide-zinc-800 dark:bg-zinc-900 dark:ring-zinc-800">
          {invitations.map((inv) => (
            <li
              key={inv.id}
              data-testid="team-invitation"
              className="flex flex-wrap items-center gap-3 px-4 py-3 text-sm"
            >
              <span className="min-w-0 flex-1">
                <span className="block truncate font-medium">{inv.email}</span>
                <span className="block text-zinc-500 dark:text-zinc-400">
                  {inv.role.toLowerCase()} · invited by {inv.invitedBy} · until {inv.expiresAt.slice(0, 10)}
                </span>
              </span>
              <Button
                variant="ghost"
                disabled={pending !== null}
                onClick={() => revoke(inv)}
                aria-label={`Revoke the invitation to ${inv.email}`}
              >
                Revoke
              </Button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
