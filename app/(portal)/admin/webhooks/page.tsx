import { notFound } from "next/navigation";
import { AddWebhookButton } from "@/components/webhooks/add-webhook-button";
import { WebhooksTable } from "@/components/webhooks/webhooks-table";
import { getCurrentUser } from "@/lib/auth/current-user";
import { listWebhooks } from "@/lib/webhooks/endpoints";
import { adminTitle } from "../admin-title";

export const generateMetadata = adminTitle("Global webhooks");

export default async function AdminWebhooksPage() {
  // The admin layout is not re-run on client navigation between admin pages: each page checks too.
  const admin = await getCurrentUser();
  if (admin?.role !== "ADMIN") notFound();
  const endpoints = await listWebhooks(admin, { scope: "global" });
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-4">
        <h1 className="text-2xl font-semibold tracking-tight">Global webhooks</h1>
        <AddWebhookButton scope="global" />
      </div>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Endpoints that hear about every key of every user (a SIEM, an audit pipeline).
      </p>
      <WebhooksTable rows={endpoints} now={new Date().toISOString()} empty={<p>No global endpoints.</p>} />
    </div>
  );
}
