// One audit event as the API, the admin page and the export show it. A zod schema, so the
// OpenAPI document and the export's JSON Lines describe exactly this shape.
import { z } from "zod";
import type { Prisma } from "@/lib/db/generated/client";

export const ZAuditEventView = z.object({
  id: z.string(),
  at: z.iso.datetime(),
  actorId: z.string().nullable().describe("null for the system (the sweep) and anonymous callers"),
  actorLabel: z.string().describe('Who acted: their email at the time, "sweep" or "anonymous"'),
  action: z.string().describe('What happened, e.g. "key.issued"'),
  keyId: z.string().nullable(),
  teamId: z.string().nullable().describe("The team the event is filed under (team actions and team keys)"),
  ip: z.string().nullable(),
  detail: z.json().nullable().describe("Action-specific facts (never a key's plaintext or hash)"),
});
/** `detail` as Prisma reads it (its JSON objects may hold undefined, which JSON never carries). */
export type AuditEventView = Omit<z.infer<typeof ZAuditEventView>, "detail"> & { detail: Prisma.JsonValue };
