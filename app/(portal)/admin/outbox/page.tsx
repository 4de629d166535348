import { notFound } from "next/navigation";
import { OutboxTable } from "@/components/admin/outbox-table";
import { Alert } from "@/components/ui/alert";
import { DataTableSearch } from "@/components/ui/data-table";
import { UrlSelectFilter } from "@/components/ui/url-select-filter";
import { parseSearchParams } from "@/lib/api/parse-search-params";
import { getCurrentUser } from "@/lib/auth/current-user";
import { env } from "@/lib/env";
import { EMAIL_STATUSES, listOutbox, ZListOutboxQuery } from "@/lib/notify/list-outbox";
import { adminTitle } from "../admin-title";

export const generateMetadata = adminTitle("Outbox");

export default async function AdminOutboxPage({ searchParams }: PageProps<"/admin/outbox">) {
  // The admin layout is not re-run on client navigation between admin pages: each page checks too.
  if ((await getCurrentUser())?.role !== "ADMIN") notFound();
  const query = parseSearchParams(ZListOutboxQuery, await searchParams);
  const emails = await listOutbox(query);
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold tracking-tight">Outbox</h1>
      {env.SMTP_URL ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Every reminder and notice email, with its delivery status. Failed ones are retried by later sweeps.
        </p>
      ) : (
        <Alert tone="info">
          No SMTP server is configured (<code>SMTP_URL</code>), so emails are kept here instead of being sent. Owners
          still see every notice in the app.
        </Alert>
      )}
      <div className="flex flex-wrap gap-2">
        <UrlSelectFilter
          param="status"
          label="Filter by status"
          allLabel="Any status"
          options={EMAIL_STATUSES.map((s) => ({
            value: s,
            label: s === "STORED" ? "Outbox (not sent)" : s.toLowerCase(),
          }))}
        />
        <DataTableSearch param="to" label="Filter by recipient" placeholder="Recipient contains…" />
      </div>
      <OutboxTable rows={emails.items} page={emails} now={new Date().toISOString()} />
    </div>
  );
}
