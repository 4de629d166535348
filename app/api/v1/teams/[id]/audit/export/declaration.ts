import { declareRoute } from "@/lib/routes/declaration";
import * as R from "@/lib/openapi/responses";
import { ZIdParams } from "@/lib/api/text";
import { ZAuditExportQuery } from "@/lib/audit/export-audit";
import { z } from "zod";

export const GET = declareRoute({
  access: "user",
  scope: "audit:read",
  params: ZIdParams,
  query: ZAuditExportQuery,
  recentAuth: true,
  operationId: "teamExportAudit",
  summary: "Download the team's audit log (owners; CSV or JSON Lines)",
  description: "The admin export, narrowed to the team's events.",
  tag: "Teams",
  responses: {
    200: {
      description: "A file download (Content-Disposition: attachment)",
      content: {
        "text/csv": { schema: z.string(), description: "Header row, then one event per row" },
        "application/jsonl": { schema: R.ZAuditEvent, description: "One AuditEvent per line" },
      },
    },
  },
  errors: [403],
  examples: {
    query: {
      format: ["csv", "jsonl"],
      from: ["2026-01-01"],
      to: ["2027-01-01"],
      actor: ["@"],
      action: ["team.created"],
    },
  },
});
