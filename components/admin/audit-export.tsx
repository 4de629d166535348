import { buttonClass } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";

/**
 * Download the audit log: a plain GET form to the export route, so the browser streams the file
 * straight to disk. It carries the page's actor and action filters; the dates are its own.
 */
export function AuditExport({ actor, action, route = "/api/v1/admin/audit/export" }: { actor?: string; action?: string; route?: string }) {
  return (
    <form action={route} method="get" className="flex flex-wrap items-end gap-2" aria-label="Export the audit log">
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
