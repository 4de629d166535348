"use client";
import { useState } from "react";
import { ApiError, callApi } from "@/components/keys/api-client";

/** Shown on every portal page until the user's address is verified. */
export function VerifyEmailBanner({ email }: { email: string }) {
  const [state, setState] = useState<"idle" | "sending" | "sent" | string>("idle");
  async function resend() {
    setState("sending");
    try {
      await callApi("POST", "/api/v1/me/verification");
      setState("sent");
    } catch (e) {
      setState(e instanceof ApiError ? e.message : "Could not send the link. Try again.");
    }
  }
  return (
    <div
      role="status"
      data-testid="verify-email-banner"
      className="border-b border-indigo-200 bg-indigo-50 text-indigo-900 dark:border-indigo-900 dark:bg-indigo-950/60 dark:text-indigo-100"
    >
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-4 gap-y-1 px-4 py-2 text-sm sm:px-6">
        <p>
          <strong>Verify {email}</strong> to issue keys and get reminders by email: open the link we sent.
        </p>
        {state === "sent" ? (
          <span>Sent. Check your inbox.</span>
        ) : (
          <button
            type="button"
            className="font-semibold underline underline-offset-2 disabled:opacity-60"
            disabled={state === "sending"}
            onClick={resend}
          >
            {state === "sending" ? "Sending…" : "Send a new link"}
          </button>
        )}
        {state !== "idle" && state !== "sending" && state !== "sent" ? <span>{state}</span> : null}
      </div>
    </div>
  );
}
