import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AddWebhookButton } from "@/components/webhooks/add-webhook-button";
import { WebhooksTable } from "@/components/webhooks/webhooks-table";
import { getCurrentUser } from "@/lib/auth/current-user";
import { portalContext } from "@/lib/teams/context";
import { teamCan } from "@/lib/teams/roles";
import { listWebhooks } from "@/lib/webhooks/endpoints";

export const metadata: Metadata = { title: "Webhooks" };

export default async function WebhooksPage() {
  const user = await getCurrentUser();
  if (!user) redirect("/sign-in?callbackUrl=/webhooks");
  // The header's context: your endpoints, or your team's (its owners and admins manage them).
  const { context } = await portalContext(user.id);
  const team = context.type === "team" ? context : null;
  if (team && !teamCan(team.role, "manage-webhooks")) {
    return (
      <div className="space-y-4">
        <h1 className="text-2xl font-semibold tracking-tight">{team.name}’s webhooks</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          The team’s owners and admins manage its webhook endpoints.
        </p>
      </div>
    );
  }
  const endpoints = await listWebhooks(user, team ? { scope: "team", teamId: team.id } : { scope: "personal" });
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-4">
        <h1 className="text-2xl font-semibold tracking-tight">{team ? `${team.name}’s webhooks` : "Webhooks"}</h1>
        {team ? <AddWebhookButton scope="team" teamId={team.id} /> : <AddWebhookButton scope="personal" />}
      </div>
      <p className="max-w-2xl text-sm text-zinc-600 dark:text-zinc-400">
        Keyward POSTs an event to your endpoints when one of {team ? "the team’s" : "your"} keys is issued, enters a
        reminder window, expires, is revoked, reported as leaked, rotated, or stops working after its grace period. Each
        delivery is signed (Standard Webhooks) and retried for 24 hours until your endpoint answers 2xx.
      </p>
      <WebhooksTable
        rows={endpoints}
        now={new Date().toISOString()}
        empty={<p>No endpoints yet. Add one to hear about your keys.</p>}
      />
    </div>
  );
}
