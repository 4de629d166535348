"use client";
import { useState } from "react";
import { callApi } from "@/components/keys/api-client";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { switchContextAction } from "@/lib/actions/team-actions";
import type { AcceptResult } from "@/lib/teams/invitations";
import { messageOf } from "./use-team-call";

const REFUSED: Record<Exclude<AcceptResult["status"], "joined" | "already-member">, string> = {
  accepted: "This invitation has already been accepted.",
  revoked: "This invitation was revoked by the team.",
  expired: "This invitation has expired. Ask the team for a new one.",
  invalid: "This invitation no longer exists.",
  "wrong-address": "This invitation was sent to another address.",
  unverified: "Verify your email address first (Settings), then accept.",
};

/** Joins, then opens the team's keys (the header's switcher is set to the team). */
export function AcceptInvitation({ token, teamName }: { token: string; teamName: string }) {
  const [message, setMessage] = useState<{ tone: "error" | "warning"; text: string } | null>(null);
  const [pending, setPending] = useState(false);
  async function accept() {
    setPending(true);
    setMessage(null);
    try {
      const result = await callApi<AcceptResult>("POST", `/api/v1/invitations/${token}/accept`);
      if (result.status === "joined" || result.status === "already-member") {
        const form = new FormData();
        form.set("context", result.team.id);
        await switchContextAction(form);
        return;
      }
      setMessage({ tone: "warning", text: REFUSED[result.status] });
    } catch (e) {
      setMessage({ tone: "error", text: messageOf(e) });
    }
    setPending(false);
  }
  return (
    <div className="space-y-3">
      {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
      <Button type="button" className="w-full" disabled={pending} onClick={accept}>
        {pending ? "Joining…" : `Join ${teamName}`}
      </Button>
    </div>
  );
}
