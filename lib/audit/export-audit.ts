import "server-only";
import { z } from "zod";
import { zText } from "@/lib/api/text";
import { prisma } from "@/lib/db/client";
import { auditCsvHeader, auditCsvLine, auditJsonLine } from "./audit-csv";
import { auditWhere, type AuditFilter } from "./audit-filter";
import { actorOf, type AuditEventView } from "./audit-view";
import { startMajorGc } from "@/lib/process/gc";
import { recordAudit, type Actor } from "./record-audit";
import { AUDIT_ACTIONS } from "./list-audit";
import { log } from "@/lib/log/logger";

export const AUDIT_EXPORT_FORMATS = ["csv", "jsonl"] as const;
export type AuditExportFormat = (typeof AUDIT_EXPORT_FORMATS)[number];

const zInstant = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);
/** An HTML form sends a date field left empty as `from=`: no bound, as if it were left out. */
const zBound = z.union([zInstant, z.literal("").transform(() => undefined)]);

export const ZAuditExportQuery = z
  .strictObject({
    format: z.enum(AUDIT_EXPORT_FORMATS).default("csv").describe("csv (RFC 4180, formula-safe) or jsonl (JSON Lines)"),
    from: zBound.optional().describe("Events at or after this instant; a date means its start (UTC)"),
    to: zBound.optional().describe("Events before this instant; a date includes that whole day (UTC)"),
    actor: zText().trim().max(200).optional().describe('Contained in the actor\'s label (email, "sweep"), any case'),
    action: z.enum(AUDIT_ACTIONS).optional(),
  })
  .refine((q) => !q.from || !q.to || rangeOf(q).from! < rangeOf(q).to!, {
    message: "`from` must be before `to`",
    path: ["to"],
  });
export type TAuditExportQuery = z.output<typeof ZAuditExportQuery>;

const DAY_MS = 86_400_000;

/** A date-only `to` includes its day: the range ends at the next midnight (UTC). */
function rangeOf(query: { from?: string; to?: string }): { from?: Date; to?: Date } {
  const to =
    query.to === undefined
      ? undefined
      : /^\d{4}-\d{2}-\d{2}$/.test(query.to)
        ? new Date(Date.parse(query.to) + DAY_MS)
        : new Date(query.to);
  return { from: query.from === undefined ? undefined : new Date(query.from), to };
}

export function auditExportFilter(query: TAuditExportQuery, scope: { teamId?: string } = {}): AuditFilter {
  return { ...rangeOf(query), actor: query.actor, action: query.action, ...scope };
}

/** Rows per database round trip: big enough to amortise it, small enough to hold in memory. */
export const EXPORT_BATCH_SIZE = 2000;

/**
 * Bytes of output between two requested garbage collections. Reading a batch leaves garbage in
 * V8's old generation (~3 bytes of heap per byte exported, measured); left alone it is collected
 * only at a limit proportional to the server's live heap, so the peak grew with the log (+304 MiB
 * RSS at a million events). Collecting every 8 MiB keeps the growth near 30 MiB whatever N is.
 */
export const EXPORT_GC_BYTES = 8 * 1024 * 1024;

interface Cursor {
  at: Date;
  id: string;
}

/** One batch, oldest first, strictly after the cursor on (at, id): keyset paging, no OFFSET. */
async function batchAfter(filter: AuditFilter, cursor: Cursor | null, size: number) {
  const after = cursor ? { at: { gte: cursor.at }, OR: [{ at: { gt: cursor.at } }, { id: { gt: cursor.id } }] } : {};
  return prisma.auditEvent.findMany({
    where: { AND: [auditWhere(filter), after] },
    orderBy: [{ at: "asc" }, { id: "asc" }],
    take: size,
  });
}

export interface AuditExport {
  contentType: string;
  fileName: string;
  body: ReadableStream<Uint8Array>;
}

/** An export as the routes send it: a download, never cached. */
export function auditDownload(file: AuditExport): Response {
  return new Response(file.body, {
    headers: {
      "content-type": file.contentType,
      "content-disposition": `attachment; filename="${file.fileName}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}

/**
 * The audit log, oldest first, as CSV or JSON Lines, streamed: one batch is read only when the
 * reader has taken the previous one (the stream's pull), so a slow client holds one batch in
 * memory, not the log. The first batch is read before this returns, so a database that is down
 * is a 503 answer rather than a broken download.
 */
export async function exportAudit(
  query: TAuditExportQuery,
  actor: Actor,
  scope: { teamId?: string } = {},
  options: { batchSize?: number; now?: Date } = {},
): Promise<AuditExport> {
  const filter = auditExportFilter(query, scope);
  // Who took a copy of the log, and of what, is itself worth a line in it.
  await recordAudit(prisma, actor, "audit.exported", null, { ...query, ...scope }, scope.teamId);
  const size = options.batchSize ?? EXPORT_BATCH_SIZE;
  const line = query.format === "csv" ? auditCsvLine : auditJsonLine;
  const encoder = new TextEncoder();
  let rows: AuditRow[] | null = await batchAfter(filter, null, size);
  let cursor: Cursor | null = null;
  let first = true;
  let sinceGc = 0;

  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          // Only the cursor outlives a batch: the rows already sent are garbage during the query.
          rows ??= await batchAfter(filter, cursor, size);
        } catch (error) {
          // The status line is long gone: all that is left is to cut the download short.
          log.error({ err: error }, "audit export: a batch failed mid-stream");
          throw error;
        }
        let text = first && query.format === "csv" ? auditCsvHeader() : "";
        first = false;
        for (const row of rows) text += line(toView(row));
        // A short batch is the last one: no query to learn that nothing follows.
        const done = rows.length < size;
        if (rows.length) cursor = cursorOf(rows);
        rows = null;
        if (text) {
          const chunk = encoder.encode(text);
          controller.enqueue(chunk);
          sinceGc += chunk.byteLength;
        }
        if (done) controller.close();
        else if (sinceGc >= EXPORT_GC_BYTES) {
          sinceGc = 0;
          startMajorGc();
        }
      },
    },
    { highWaterMark: 1 },
  );
  const stamp = (options.now ?? new Date()).toISOString().replace(/[-:]/g, "").replace(/\.\d+/, "");
  return {
    contentType: query.format === "csv" ? "text/csv; charset=utf-8" : "application/jsonl; charset=utf-8",
    fileName: `keyward-audit-${stamp}.${query.format}`,
    body,
  };
}

type AuditRow = Awaited<ReturnType<typeof batchAfter>>[number];

const cursorOf = (rows: AuditRow[]): Cursor => ({ at: rows.at(-1)!.at, id: rows.at(-1)!.id });

const toView = (row: AuditRow): AuditEventView => ({
  id: row.id,
  at: row.at.toISOString(),
  actorId: row.actorId,
  actorLabel: row.actorLabel,
  actor: actorOf(row),
  action: row.action,
  keyId: row.keyId,
  teamId: row.teamId,
  ip: row.ip,
  detail: row.detail,
});
