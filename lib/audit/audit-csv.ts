// The audit export's line formats, pure so they are tested without a database. CSV follows RFC
// 4180 and is made safe to open in a spreadsheet: a cell that starts like a formula (= + - @, or
// a tab or carriage return some programs skip before one) gets a leading apostrophe, so
// Excel, LibreOffice and Sheets show it as text instead of running it (OWASP "CSV injection").
import type { AuditEventView } from "./audit-view";

/** actorTokenId last: it came later, and readers that index columns by position keep working. */
export const AUDIT_EXPORT_COLUMNS = [
  "id",
  "at",
  "actorId",
  "actorLabel",
  "action",
  "keyId",
  "teamId",
  "ip",
  "detail",
  "actorTokenId",
] as const;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV cell: null is empty, a formula-like start is defused, quotes are doubled. */
export function csvCell(value: string | null): string {
  if (value === null) return "";
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(values: (string | null)[]): string {
  return `${values.map(csvCell).join(",")}\r\n`;
}

export const auditCsvHeader = () => csvLine([...AUDIT_EXPORT_COLUMNS]);

export function auditCsvLine(event: AuditEventView): string {
  return csvLine([
    event.id,
    event.at,
    event.actorId,
    event.actorLabel,
    event.action,
    event.keyId,
    event.teamId,
    event.ip,
    event.detail === null ? null : JSON.stringify(event.detail),
    event.actor.type === "token" ? event.actor.id : null,
  ]);
}

/** JSON Lines: one event per line; JSON.stringify escapes every newline inside a value. */
export const auditJsonLine = (event: AuditEventView) => `${JSON.stringify(event)}\n`;
