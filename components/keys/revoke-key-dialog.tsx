"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, Input } from "@/components/ui/field";
import { ApiError, callApi } from "./api-client";

export function RevokeKeyDialog({ keyId, keyName }: { keyId: string; keyName: string }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function revoke(event: React.FormEvent) {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      await callApi("POST", `/api/v1/keys/${keyId}/revoke`, note.trim() ? { note: note.trim() } : {});
      setOpen(false);
      router.refresh();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : "Could not revoke the key.");
    } finally {
      setPending(false);
    }
  }

  return (
    <>
      <Button variant="danger" onClick={() => setOpen(true)}>
        Revoke
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        title={`Revoke “${keyName}”?`}
        description="Services using this key are refused from the next request on. This cannot be undone."
      >
        <form onSubmit={revoke} className="space-y-4">
          {error ? <Alert tone="error">{error}</Alert> : null}
          <Field id="revoke-note" label="Note (optional)" hint="Why, for the history.">
            <Input id="revoke-note" value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} />
          </Field>
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button type="submit" variant="danger" disabled={pending}>
              {pending ? "Revoking…" : "Revoke key"}
            </Button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
