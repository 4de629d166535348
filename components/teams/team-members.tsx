"use client";
import { callApi } from "@/components/keys/api-client";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import type { MemberView } from "@/lib/teams/members";
import type { TeamRole } from "@/lib/teams/roles";
import { useTeamCall } from "./use-team-call";
import { useConfirm } from "@/components/ui/use-confirm";

const ROLE_TONE = { OWNER: "blue", ADMIN: "amber", MEMBER: "gray" } as const;

interface Props {
  teamId: string;
  me: string;
  members: MemberView[];
  /** What the viewer may do (lib/teams/roles.ts decides; the API checks again). */
  may: { changeRole: boolean; removeMembers: boolean; removeOwners: boolean };
}

/** Members with their roles: owners change roles, admins remove members, anyone can leave. */
export function TeamMembers({ teamId, me, members, may }: Props) {
  const { status, pending, run } = useTeamCall();
  const [confirmDialog, ask] = useConfirm();
  const setRole = (m: MemberView, role: TeamRole) =>
    run(`role-${m.userId}`, async () => {
      await callApi("PATCH", `/api/v1/teams/${teamId}/members/${m.userId}`, { role });
      return `${m.email} is now ${role.toLowerCase()}.`;
    });
  const remove = async (m: MemberView) => {
    const self = m.userId === me;
    const question = self
      ? "Leave this team? You lose access to its keys at once."
      : `Remove ${m.email} from the team?`;
    if (!(await ask(question, self ? "Leave" : "Remove"))) return;
    return run(`remove-${m.userId}`, async () => {
      await callApi("DELETE", `/api/v1/teams/${teamId}/members/${m.userId}`);
      // eslint-disable-next-line @next/next/no-location-assign-relative-destination -- a full load on purpose: no page state (or session) survives this change
      if (self) window.location.assign("/teams");
      return `${m.email} was removed. The keys they issued stay the team's and keep working.`;
    });
  };
  return (
    <div className="space-y-3">
      {status ? <Alert tone={status.tone}>{status.text}</Alert> : null}
      {confirmDialog}
      <ul className="divide-y divide-zinc-200 rounded-xl bg-white shadow-sm ring-1 ring-zinc-200 dark:divide-zinc-800 dark:bg-zinc-900 dark:ring-zinc-800">
        {members.map((m) => {
          const removable = m.userId === me || (m.role === "OWNER" ? may.removeOwners : may.removeMembers);
          return (
            <li
              key={m.userId}
              data-testid="team-member"
              className="flex flex-wrap items-center gap-3 px-4 py-3 text-sm"
            >
              <span className="min-w-0 flex-1">
                <span className="block truncate font-medium">{m.name ?? m.email}</span>
                {m.name ? <span className="block truncate text-zinc-500 dark:text-zinc-400">{m.email}</span> : null}
              </span>
              {may.changeRole ? (
                <label>
                  <span className="sr-only">Role of {m.email}</span>
                  <select
                    className={`${inputClass} w-32`}
                    value={m.role}
                    disabled={pending !== null}
                    onChange={(e) => setRole(m, e.target.value as TeamRole)}
                  >
                    <option value="OWNER">Owner</option>
                    <option value="ADMIN">Admin</option>
                    <option value="MEMBER">Member</option>
                  </select>
                </label>
              ) : (
                <Badge tone={ROLE_TONE[m.role]}>{m.role.toLowerCase()}</Badge>
              )}
              {removable ? (
                <Button
                  variant="ghost"
                  disabled={pending !== null}
                  onClick={() => remove(m)}
                  aria-label={m.userId === me ? "Leave the team" : `Remove ${m.email}`}
                >
                  {m.userId === me ? "Leave" : "Remove"}
                </Button>
              ) : null}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
