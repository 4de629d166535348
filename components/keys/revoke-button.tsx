"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { callApi } from "./api-client";

export function RevokeButton({ keyId, keyName }: { keyId: string; keyName: string }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  return (
    <Button
      variant="ghost"
      className="text-red-600 dark:text-red-400"
      disabled={pending}
      aria-label={`Revoke ${keyName}`}
      onClick={async () => {
        if (!window.confirm(`Revoke “${keyName}”? Services using it will be refused at once.`)) return;
        setPending(true);
        try {
          await callApi("POST", `/api/v1/keys/${keyId}/revoke`, {});
          router.refresh();
        } finally {
          setPending(false);
        }
      }}
    >
      Revoke
    </Button>
  );
}
