"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { IssueKeyForm, type IssueOptions, type OwnerChoice } from "./issue-key-form";

export function IssueKeyButton({
  options,
  owners,
  defaultOwner,
}: {
  options: IssueOptions;
  owners?: OwnerChoice[];
  defaultOwner?: string;
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  // The list refreshes (without a full reload) once the dialog closes, never while the
  // one-time plaintext is on screen: a re-render must not be able to take it away.
  const close = () => {
    setOpen(false);
    router.refresh();
  };
  return (
    <>
      <Button onClick={() => setOpen(true)}>Issue a key</Button>
      <Dialog
        open={open}
        onClose={close}
        title="Issue a key"
        description="The key is shown once, right after you issue it."
      >
        <IssueKeyForm options={options} owners={owners} defaultOwner={defaultOwner} onIssued={close} />
      </Dialog>
    </>
  );
}
