"use client";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { IssueKeyForm, type IssueOptions } from "./issue-key-form";

export function IssueKeyButton({ options }: { options: IssueOptions }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button onClick={() => setOpen(true)}>Issue a key</Button>
      <Dialog open={open} onClose={() => setOpen(false)} title="Issue a key" description="The key is shown once, right after you issue it.">
        <IssueKeyForm options={options} onIssued={() => setOpen(false)} />
      </Dialog>
    </>
  );
}
