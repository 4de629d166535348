"use client";
import { createColumnHelper } from "@tanstack/react-table";
import { useRouter } from "next/navigation";
import { useCallback, useMemo, useState } from "react";
import { ApiError, callApi } from "@/components/keys/api-client";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { DataTable, dataTableFeatures } from "@/components/ui/data-table";
import { RelativeTime } from "@/components/ui/relative-time";
import { useConfirm } from "@/components/ui/use-confirm";
import type { SessionView } from "@/lib/sessions/manage-sessions";

const column = createColumnHelper<typeof dataTableFeatures, SessionView>();

/**
 * Active sessions, each with "End session": the owner's own (Settings → Sessions) or a user's
 * (Admin → Users). `endPath` is the collection the DELETE goes to (…/sessions).
 */
export function SessionsTable({
  rows,
  now,
  endPath,
  whose,
}: {
  rows: SessionView[];
  now: string;
  endPath: string;
  whose: "own" | "user";
}) {
  const router = useRouter();
  const at = useMemo(() => new Date(now), [now]);
  const [status, setStatus] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [confirmDialog, ask] = useConfirm();

  const end = useCallback(
    async (session: SessionView) => {
      const question = session.current
        ? "End this session? You are signed out here."
        : `End the session on ${session.device}? That browser is signed out at its next request.`;
      if (!(await ask(question, "End session", { danger: true }))) return;
      setBusy(session.id);
      setStatus(null);
      try {
        await callApi("DELETE", `${endPath}/${session.id}`);
        if (session.current && whose === "own") {
          // eslint-disable-next-line @next/next/no-location-assign-relative-destination -- a full load on purpose: this browser's session just ended
          window.location.assign("/sign-in");
          return;
        }
        setStatus({ tone: "success", text: `The session on ${session.device} has ended.` });
        router.refresh();
      } catch (e) {
        setStatus({ tone: "error", text: e instanceof ApiError ? e.message : "That did not work. Try again." });
      } finally {
        setBusy(null);
      }
    },
    [ask, endPath, router, whose],
  );

  const columns = useMemo(
    () =>
      column.columns([
        column.display({
          id: "device",
          header: "Device",
          cell: ({ row }) => (
            <span className="flex flex-col">
              <span className="flex items-center gap-2 font-medium">
                {row.original.device}
                {row.original.current ? <Badge tone="green">this browser</Badge> : null}
              </span>
              <span className="text-xs text-zinc-500">signed in with {row.original.method}</span>
            </span>
          ),
        }),
        column.display({
          id: "ip",
          header: "Address",
          cell: ({ row }) => <span className="font-mono text-xs">{row.original.ip ?? "—"}</span>,
        }),
        column.display({
          id: "createdAt",
          header: "Signed in",
          cell: ({ row }) => <RelativeTime iso={row.original.createdAt} now={at} />,
        }),
        column.display({
          id: "lastSeenAt",
          header: "Last seen",
          cell: ({ row }) => <RelativeTime iso={row.original.lastSeenAt} now={at} />,
        }),
        column.display({
          id: "actions",
          header: () => <span className="sr-only">Actions</span>,
          cell: ({ row }) => (
            <span className="flex justify-end">
              <Button variant="secondary" disabled={busy !== null} onClick={() => end(row.original)}>
                {busy === row.original.id ? "Ending…" : "End session"}
              </Button>
            </span>
          ),
        }),
      ]),
    [at, busy, end],
  );
  return (
    <div className="space-y-3">
      {status ? <Alert tone={status.tone}>{status.text}</Alert> : null}
      {confirmDialog}
      <DataTable
        caption="Sessions"
        columns={columns}
        rows={rows}
        sort={null}
        page={null}
        rowTestId="session-row"
        empty={<p>No active sessions.</p>}
      />
    </div>
  );
}
