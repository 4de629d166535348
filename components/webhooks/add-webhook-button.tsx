"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { WebhookForm } from "./webhook-form";

export function AddWebhookButton({ scope, teamId }: { scope: "personal" | "team" | "global"; teamId?: string }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  // Refresh only once the dialog closes: the secret on screen must not be re-rendered away.
  const close = () => {
    setOpen(false);
    router.refresh();
  };
  return (
    <>
      <Button onClick={() => setOpen(true)}>Add endpoint</Button>
      <Dialog
        open={open}
        onClose={close}
        title={scope === "global" ? "Add a global endpoint" : "Add an endpoint"}
        description="Its signing secret is shown once, right after you add it."
      >
        <WebhookForm scope={scope} teamId={teamId} onDone={close} />
      </Dialog>
    </>
  );
}
