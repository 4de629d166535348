"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ApiError, callApi } from "@/components/keys/api-client";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { SecretReveal } from "@/components/ui/secret-reveal";
import type { WebhookEndpointView } from "@/lib/webhooks/endpoints";
import { WebhookForm } from "./webhook-form";
import { useConfirm } from "@/components/ui/use-confirm";

type Status = { tone: "success" | "error" | "info"; text: string } | null;

/** Edit, test, roll the secret, enable or disable, delete: one endpoint's controls. */
export function WebhookActions({ endpoint }: { endpoint: WebhookEndpointView }) {
  const router = useRouter();
  const [status, setStatus] = useState<Status>(null);
  const [busy, setBusy] = useState(false);
  const [editing, setEditing] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [confirmDialog, ask] = useConfirm();

  const act = async (work: () => Promise<string>) => {
    setBusy(true);
    setStatus(null);
    try {
      setStatus({ tone: "success", text: await work() });
      router.refresh();
    } catch (e) {
      setStatus({ tone: "error", text: e instanceof ApiError ? e.message : "That did not work. Try again." });
    } finally {
      setBusy(false);
    }
  };
  const base = `/api/v1/webhooks/${endpoint.id}`;

  return (
    <div className="space-y-3">
      {status ? <Alert tone={status.tone}>{status.text}</Alert> : null}
      <div className="flex flex-wrap gap-2">
        <Button variant="secondary" disabled={busy} onClick={() => setEditing(true)}>
          Edit
        </Button>
        <Button
          variant="secondary"
          disabled={busy}
          onClick={() =>
            act(async () => {
              const result = await callApi<{
                status: string;
                responseStatus: number | null;
                lastError: string | null;
                durationMs: number;
              }>("POST", `${base}/test`);
              if (result.status !== "SUCCEEDED")
                throw new ApiError(`The test event failed: ${result.lastError ?? "no answer"}.`, 0);
              return `The test event was delivered (HTTP ${result.responseStatus}, ${result.durationMs} ms).`;
            })
          }
        >
          Send a test event
        </Button>
        <Button
          variant="secondary"
          disabled={busy}
          onClick={async () => {
            if (
              !(await ask(
                "Roll the signing secret? The old one keeps signing alongside the new one for 24 hours.",
                "Roll secret",
                { danger: false },
              ))
            )
              return;
            void act(async () => {
              setSecret((await callApi<{ secret: string }>("POST", `${base}/roll-secret`)).secret);
              return "New secret made. The old one still signs for 24 hours.";
            });
          }}
        >
          Roll secret
        </Button>
        <Button
          variant="secondary"
          disabled={busy}
          onClick={() =>
            act(async () => {
              await callApi("PATCH", base, { enabled: !endpoint.enabled });
              return endpoint.enabled ? "Disabled: no more deliveries." : "Enabled: deliveries resume.";
            })
          }
        >
          {endpoint.enabled ? "Disable" : "Enable"}
        </Button>
        <Button
          variant="danger"
          disabled={busy}
          onClick={async () => {
            if (!(await ask(`Delete the endpoint ${endpoint.url} and its delivery history?`, "Delete"))) return;
            try {
              await callApi("DELETE", base);
              router.push(endpoint.scope === "global" ? "/admin/webhooks" : "/webhooks");
            } catch (e) {
              setStatus({ tone: "error", text: e instanceof ApiError ? e.message : "Could not delete it." });
            }
          }}
        >
          Delete
        </Button>
      </div>
      {confirmDialog}
      <Dialog open={editing} onClose={() => setEditing(false)} title="Edit endpoint">
        <WebhookForm
          scope={endpoint.scope}
          teamId={endpoint.teamId}
          initial={{
            id: endpoint.id,
            url: endpoint.url,
            description: endpoint.description,
            eventTypes: endpoint.eventTypes,
          }}
          onDone={() => {
            setEditing(false);
            router.refresh();
          }}
        />
      </Dialog>
      <Dialog open={secret !== null} onClose={() => setSecret(null)} title="New signing secret">
        {secret ? (
          <SecretReveal value={secret} what="signing secret" testId="webhook-secret" onDone={() => setSecret(null)} />
        ) : null}
      </Dialog>
    </div>
  );
}
