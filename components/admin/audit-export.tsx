"use client";
import { useRef } from "react";
import { ensureRecentAuth } from "@/components/keys/api-client";
import { buttonClass } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";

/**
 * Download the audit log: a plain GET form to the export route, so the browser streams the file
 * straight to disk. It carries the page's actor and action filters; the dates are its own. The
 * export needs a recent sign-in (sudo mode): the re-auth dialog asks first when it is too old.
 */
export function AuditExport({
  actor,
  action,
  route = "/api/v1/admin/audit/export",
}: {
  actor?: string;
  action?: string;
  route?: string;
}) {
  const confirmed = useRef(false);
  return (
    <form
      action={route}
      method="get"
      className="flex flex-wrap items-end gap-2"
      aria-label="Export the audit log"
      onSubmit={async (event) => {
        if (confirmed.current) {
          confirmed.current = false;
          return; // the browser downloads
        }
        event.preventDefault();
        const form = event.currentTarget;
        const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
        if (!(await ensureRecentAuth())) return;
        confirmed.current = true;
        form.requestSubmit(submitter);
      }}
    >
      {actor ? <input type="hidden" name="actor" value={actor} /> : null}
      {action ? <input type="hidden" name="action" value={action} /> : null}
      <label className="space-y-1 text-sm font-medium">
        <span className="block">From</span>
        <input type="date" name="from" className={`${inputClass} w-40`} />
      </label>
      <label className="space-y-1 text-sm font-medium">
        <span className="block">To (inclusive)</span>
        <input type="date" name="to" className={`${inputClass} w-40`} />
      </label>
      <button type="submit" name="format" value="csv" className={buttonClass("secondary")}>
        Download CSV
      </button>
      <button type="submit" name="format" value="jsonl" className={buttonClass("secondary")}>
        Download JSON Lines
      </button>
    </form>
  );
}
