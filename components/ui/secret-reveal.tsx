"use client";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

/** The one and only time a secret (a key's plaintext, a signing secret) is shown. */
export function SecretReveal({
  value,
  what,
  testId,
  onDone,
}: {
  value: string;
  what: string;
  testId: string;
  onDone: () => void;
}) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="space-y-3">
      <Alert tone="warning">
        Copy this {what} now. It is shown <strong>only once</strong> and cannot be shown again.
      </Alert>
      <div className="flex items-stretch gap-2">
        <code
          data-testid={testId}
          className="block flex-1 break-all rounded-md bg-zinc-100 px-3 py-2 font-mono text-sm dark:bg-zinc-800"
        >
          {value}
        </code>
        <Button
          variant="secondary"
          onClick={async () => {
            await navigator.clipboard.writeText(value);
            setCopied(true);
          }}
        >
          {copied ? "Copied" : "Copy"}
        </Button>
      </div>
      <Button onClick={onDone}>Done</Button>
    </div>
  );
}
