"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ApiError } from "@/components/keys/api-client";

export type Status = { tone: "success" | "error"; text: string } | null;

export const messageOf = (e: unknown) =>
  e instanceof ApiError
    ? [e.message, ...e.fieldErrors.map((f) => f.message)].join(" ")
    : "Something went wrong. Try again.";

/** Runs one API call at a time, shows its outcome, and refreshes the page's server data after. */
export function useTeamCall() {
  const router = useRouter();
  const [status, setStatus] = useState<Status>(null);
  const [pending, setPending] = useState<string | null>(null);
  async function run(name: string, work: () => Promise<string | void>) {
    setPending(name);
    setStatus(null);
    try {
      const text = await work();
      if (text) setStatus({ tone: "success", text });
      router.refresh();
    } catch (e) {
      setStatus({ tone: "error", text: messageOf(e) });
    } finally {
      setPending(null);
    }
  }
  return { status, pending, run };
}
