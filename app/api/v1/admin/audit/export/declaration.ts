import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { ZAuditExportQuery } from "@/lib/audit/export-audit";
import { z } from "zod";

export const GET = declareRoute({
  access: "admin",
  scope: "admin:read",
  query: ZAuditExportQuery,
  recentAuth: true,
  operationId: "adminExportAudit",
  summary: "Download the audit log (CSV or JSON Lines)",
  description:
    "Oldest first, streamed in batches, any size. CSV cells that would start a spreadsheet formula (= + - @, tab, CR) get a leading apostrophe. The export itself is recorded as `audit.exported`.",
  tag: "Admin",
  responses: {
    200: {
      description: "A file download (Content-Disposition: attachment)",
      content: {
        "text/csv": {
          schema: z.string(),
          description:
            "Header row, then one event per row: id, at, actorId, actorLabel, action, keyId, teamId, ip, detail (JSON)",
        },
        "application/jsonl": { schema: R.ZAuditEvent, description: "One AuditEvent per line" },
      },
    },
  },
  examples: {
    query: {
      format: ["csv", "jsonl"],
      from: ["2026-01-01", "2026-11-29T00:00:00Z"],
      to: ["2027-01-01", "2026-11-30T12:00:00+01:00"],
      actor: ["sweep", "@"],
      action: ["key.issued"],
    },
  },
});
