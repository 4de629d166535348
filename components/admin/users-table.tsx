"use client";
import { createColumnHelper } from "@tanstack/react-table";
import { useRouter } from "next/navigation";
import { useCallback, useMemo, useState } from "react";
import { ApiError, callApi } from "@/components/keys/api-client";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button, ButtonLink } from "@/components/ui/button";
import { DataTable, type DataTablePage, dataTableFeatures } from "@/components/ui/data-table";
import { RelativeTime } from "@/components/ui/relative-time";
import { useConfirm } from "@/components/ui/use-confirm";
import type { UserView } from "@/lib/users/admin-users";

const column = createColumnHelper<typeof dataTableFeatures, UserView>();

type Action = "role" | "sign-out" | "password-reset" | "2fa/reset";

/**
 * Every account, with what an admin does to one: change the role, end its sessions, email a link
 * to choose a new password (`smtp`: whether it is sent, or waits in the outbox), remove its
 * second factor when its owner lost it.
 */
export function UsersTable({
  rows,
  page,
  now,
  selfId,
  smtp,
}: {
  rows: UserView[];
  page: DataTablePage;
  now: string;
  selfId: string;
  smtp: boolean;
}) {
  const router = useRouter();
  const at = useMemo(() => new Date(now), [now]);
  const [status, setStatus] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [confirmDialog, ask] = useConfirm();

  const act = useCallback(
    async (user: UserView, what: Action) => {
      const question = {
        role: `${user.role === "ADMIN" ? "Remove admin rights from" : "Make"} ${user.email}${user.role === "ADMIN" ? "" : " an admin"}? Their sessions end.`,
        "sign-out": `End every session of ${user.email}? They must sign in again everywhere.`,
        "password-reset": `Email ${user.email} a link to choose a new password? Nothing changes until they use it.`,
        "2fa/reset": `Remove the second factor (authenticator app and recovery codes) of ${user.email}? They are emailed, their sessions end, and they sign in with their password alone until they set it up again.`,
      }[what];
      const confirmLabel = {
        role: "Change the role",
        "sign-out": "End every session",
        "password-reset": "Send the link",
        "2fa/reset": "Reset two-factor",
      }[what];
      if (!(await ask(question, confirmLabel, { danger: what !== "password-reset" }))) return;
      setBusy(user.id);
      setStatus(null);
      try {
        if (what === "role")
          await callApi("POST", `/api/v1/admin/users/${user.id}/role`, {
            role: user.role === "ADMIN" ? "USER" : "ADMIN",
          });
        else await callApi("POST", `/api/v1/admin/users/${user.id}/${what}`);
        const done = {
          role: `${user.email}'s role changed; their sessions ended.`,
          "sign-out": `Every session of ${user.email} has ended.`,
          "password-reset": `A reset link went to ${user.email}.${smtp ? "" : " Without SMTP it waits in Admin → Outbox."} It works once, for an hour.`,
          "2fa/reset": `The second factor of ${user.email} was removed; they were emailed and signed out everywhere.`,
        }[what];
        setStatus({ tone: "success", text: done });
        router.refresh();
      } catch (e) {
        setStatus({ tone: "error", text: e instanceof ApiError ? e.message : "That did not work. Try again." });
      } finally {
        setBusy(null);
      }
    },
    [ask, router, smtp],
  );

  const columns = useMemo(
    () =>
      column.columns([
        column.display({
          id: "email",
          header: "User",
          cell: ({ row }) => (
            <span className="flex flex-col">
              <span className="break-all font-medium">{row.original.email}</span>
              {row.original.name ? <span className="text-xs text-zinc-500">{row.original.name}</span> : null}
            </span>
          ),
        }),
        column.display({
          id: "role",
          header: "Role",
          cell: ({ row }) => (
            <Badge tone={row.original.role === "ADMIN" ? "blue" : "gray"}>
              {row.original.role === "ADMIN" ? "admin" : "user"}
            </Badge>
          ),
        }),
        column.display({
          id: "verified",
          header: "Address",
          cell: ({ row }) =>
            row.original.emailVerified ? (
              <Badge tone="green">verified</Badge>
            ) : (
              <Badge tone="amber">not verified</Badge>
            ),
        }),
        column.display({
          id: "github",
          header: "GitHub",
          cell: ({ row }) => (row.original.github ? "connected" : <span className="text-zinc-400">—</span>),
        }),
        column.display({
          id: "twoFactor",
          header: "2FA",
          cell: ({ row }) =>
            row.original.twoFactor ? <Badge tone="green">on</Badge> : <span className="text-zinc-400">—</span>,
        }),
        column.display({
          id: "keys",
          header: "Keys",
          cell: ({ row }) => <span className="tabular-nums">{row.original.keys}</span>,
        }),
        column.display({
          id: "createdAt",
          header: "Joined",
          cell: ({ row }) => <RelativeTime iso={row.original.createdAt} now={at} />,
        }),
        column.display({
          id: "actions",
          header: () => <span className="sr-only">Actions</span>,
          cell: ({ row }) => (
            <span className="flex flex-wrap justify-end gap-2">
              <Button
                variant="secondary"
                disabled={busy !== null || row.original.id === selfId}
                onClick={() => act(row.original, "role")}
              >
                {row.original.role === "ADMIN" ? "Remove admin" : "Make admin"}
              </Button>
              <ButtonLink variant="secondary" href={`/admin/users/${row.original.id}/sessions`}>
                Sessions
              </ButtonLink>
              <Button variant="secondary" disabled={busy !== null} onClick={() => act(row.original, "sign-out")}>
                Sign out everywhere
              </Button>
              <Button variant="secondary" disabled={busy !== null} onClick={() => act(row.original, "password-reset")}>
                Send reset link
              </Button>
              {row.original.twoFactor ? (
                <Button variant="secondary" disabled={busy !== null} onClick={() => act(row.original, "2fa/reset")}>
                  Reset 2FA
                </Button>
              ) : null}
            </span>
          ),
        }),
      ]),
    [act, at, busy, selfId],
  );
  return (
    <div className="space-y-3">
      {status ? <Alert tone={status.tone}>{status.text}</Alert> : null}
      {confirmDialog}
      <DataTable
        caption="Users"
        columns={columns}
        rows={rows}
        sort={null}
        page={page}
        rowTestId="user-row"
        empty={<p>No users match.</p>}
      />
    </div>
  );
}
