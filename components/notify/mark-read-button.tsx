"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { callApi } from "@/components/keys/api-client";

/** Marks one notice (ids) or all of them read, then refreshes the page and the bell. */
export function MarkReadButton({ ids, label }: { ids: string[] | "all"; label: string }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  return (
    <Button
      variant="ghost"
      className="py-1 text-xs"
      disabled={pending}
      onClick={async () => {
        setPending(true);
        try {
          await callApi("POST", "/api/v1/notifications/read", ids === "all" ? { all: true } : { ids });
          router.refresh();
        } finally {
          setPending(false);
        }
      }}
    >
      {label}
    </Button>
  );
}
