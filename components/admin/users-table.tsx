"use client";
import { createColumnHelper } from "@tanstack/react-table";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { ApiError, callApi } from "@/components/keys/api-client";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { DataTable, type DataTablePage, dataTableFeatures } from "@/components/ui/data-table";
import { RelativeTime } from "@/components/ui/relative-time";
import type { UserView } from "@/lib/users/admin-users";

const column = createColumnHelper<typeof dataTableFeatures, UserView>();

/** Every account, with the two things an admin does to one: change the role, end its sessions. */
export function UsersTable({ rows, page, now, selfId }: { rows: UserView[]; page: DataTablePage; now: string; selfId: string }) {
  const router = useRouter();
  const at = useMemo(() => new Date(now), [now]);
  const [status, setStatus] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const act = async (user: UserView, what: "role" | "sign-out") => {
    const question =
      what === "role"
        ? `${user.role === "ADMIN" ? "Remove admin rights from" : "Make"} ${user.email}${user.role === "ADMIN" ? "" : " an admin"}? Their sessions end.`
        : `End every session of ${user.email}? They must sign in again everywhere.`;
    if (!window.confirm(question)) return;
    setBusy(user.id);
    setStatus(null);
    try {
      if (what === "role") await callApi("POST", `/api/v1/admin/users/${user.id}/role`, { role: user.role === "ADMIN" ? "USER" : "ADMIN" });
      else await callApi("POST", `/api/v1/admin/users/${user.id}/sign-out`);
      setStatus({ tone: "success", text: what === "role" ? `${user.email}'s role changed; their sessions ended.` : `Every session of ${user.email} has ended.` });
      router.refresh();
    } catch (e) {
      setStatus({ tone: "error", text: e instanceof ApiError ? e.message : "That did not work. Try again." });
    } finally {
      setBusy(null);
    }
  };

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
          cell: ({ row }) => <Badge tone={row.original.role === "ADMIN" ? "blue" : "gray"}>{row.original.role === "ADMIN" ? "admin" : "user"}</Badge>,
        }),
        column.display({
          id: "verified",
          header: "Address",
          cell: ({ row }) => (row.original.emailVerified ? <Badge tone="green">verified</Badge> : <Badge tone="amber">not verified</Badge>),
        }),
        column.display({ id: "github", header: "GitHub", cell: ({ row }) => (row.original.github ? "connected" : <span className="text-zinc-400">—</span>) }),
        column.display({ id: "keys", header: "Keys", cell: ({ row }) => <span className="tabular-nums">{row.original.keys}</span> }),
        column.display({ id: "createdAt", header: "Joined", cell: ({ row }) => <RelativeTime iso={row.original.createdAt} now={at} /> }),
        column.display({
          id: "actions",
          header: () => <span className="sr-only">Actions</span>,
          cell: ({ row }) => (
            <span className="flex flex-wrap justify-end gap-2">
              <Button variant="secondary" disabled={busy !== null || row.original.id === selfId} onClick={() => act(row.original, "role")}>
                {row.original.role === "ADMIN" ? "Remove admin" : "Make admin"}
              </Button>
              <Button variant="secondary" disabled={busy !== null} onClick={() => act(row.original, "sign-out")}>
                Sign out everywhere
              </Button>
            </span>
          ),
        }),
      ]),
    [at, busy, selfId],
  );
  return (
    <div className="space-y-3">
      {status ? <Alert tone={status.tone}>{status.text}</Alert> : null}
      <DataTable caption="Users" columns={columns} rows={rows} sort={null} page={page} rowTestId="user-row" empty={<p>No users match.</p>} />
    </div>
  );
}
