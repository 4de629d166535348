import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { DeliveriesTable } from "@/components/webhooks/deliveries-table";
import { WebhookActions } from "@/components/webhooks/webhook-actions";
import { EndpointStatus } from "@/components/webhooks/webhooks-table";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { parseSearchParams } from "@/lib/api/parse-search-params";
import { ZIdParams } from "@/lib/api/text";
import { getCurrentUser } from "@/lib/auth/current-user";
import { KeywardError } from "@/lib/errors";
import { listDeliveries, ZListDeliveriesQuery } from "@/lib/webhooks/deliveries";
import { getWebhook } from "@/lib/webhooks/endpoints";

export const metadata: Metadata = { title: "Webhook endpoint" };

export default async function WebhookPage({ params, searchParams }: PageProps<"/webhooks/[id]">) {
  const user = await getCurrentUser();
  if (!user) redirect("/sign-in?callbackUrl=/webhooks");
  const { id } = await params;
  if (!ZIdParams.safeParse({ id }).success) notFound();
  const query = parseSearchParams(ZListDeliveriesQuery, await searchParams);
  let endpoint;
  let deliveries;
  try {
    [endpoint, deliveries] = await Promise.all([getWebhook(user, id), listDeliveries(user, id, query)]);
  } catch (error) {
    if (error instanceof KeywardError && error.code === "NOT_FOUND") notFound();
    throw error;
  }
  return (
    <div className="space-y-6">
      <div className="space-y-1">
        <Link
          href={endpoint.scope === "global" ? "/admin/webhooks" : "/webhooks"}
          className="text-sm text-indigo-700 hover:underline dark:text-indigo-300"
        >
          ← {endpoint.scope === "global" ? "Global webhooks" : "Webhooks"}
        </Link>
        <h1 className="break-all text-2xl font-semibold tracking-tight">{endpoint.url}</h1>
        <div className="flex flex-wrap items-center gap-2 text-sm">
          <EndpointStatus endpoint={endpoint} />
          {endpoint.scope === "global" ? <Badge tone="blue">global</Badge> : null}
          {endpoint.eventTypes.map((t) => (
            <Badge key={t}>{t}</Badge>
          ))}
        </div>
        {endpoint.description ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">{endpoint.description}</p>
        ) : null}
      </div>
      {endpoint.disabledReason ? <Alert tone="warning">Disabled: {endpoint.disabledReason}</Alert> : null}
      {endpoint.enabled && endpoint.failingSince ? (
        <Alert tone="warning">
          Every delivery has failed since {endpoint.failingSince.slice(0, 16).replace("T", " ")} UTC. After three days
          the endpoint is disabled.
        </Alert>
      ) : null}
      <WebhookActions endpoint={endpoint} />
      <section aria-labelledby="deliveries-heading" className="space-y-3">
        <h2 id="deliveries-heading" className="text-lg font-semibold">
          Recent deliveries
        </h2>
        <DeliveriesTable
          endpointId={endpoint.id}
          rows={deliveries.items}
          page={deliveries}
          now={new Date().toISOString()}
        />
      </section>
    </div>
  );
}
