// One audit event as the API, the admin page and the export show it. A zod schema, so the
// OpenAPI document and the export's JSON Lines describe exactly this shape.
import { z } from "zod";
import type { Prisma } from "@/lib/db/generated/client";

export const ZAuditEventView = z.object({
  id: z.string(),
  at: z.iso.datetime(),
  actorId: z.string().nullable().describe("null for the system (the sweep) and anonymous callers"),
  actorLabel: z.string().describe('Who acted: their email at the time, "sweep" or "anonymous"'),
  actor: z
    .discriminatedUnion("type", [
      z.object({ type: z.literal("user"), id: z.string(), label: z.string() }),
      z.object({
        type: z.literal("token"),
        id: z.string().describe("The API token's id"),
        name: z.string(),
        owner: z.object({ type: z.enum(["user", "team"]), id: z.string() }),
      }),
      z.object({ type: z.literal("system"), label: z.string() }),
    ])
    .describe(
      "Who acted: a person (by session), an API token (which, and whose), or the system (the sweep, an anonymous caller)",
    ),
  action: z.string().describe('What happened, e.g. "key.issued"'),
  keyId: z.string().nullable(),
  teamId: z.string().nullable().describe("The team the event is filed under (team actions and team keys)"),
  ip: z.string().nullable(),
  detail: z.json().nullable().describe("Action-specific facts (never a key's plaintext or hash)"),
});
/** `detail` as Prisma reads it (its JSON objects may hold undefined, which JSON never carries). */
export type AuditEventView = Omit<z.infer<typeof ZAuditEventView>, "detail"> & { detail: Prisma.JsonValue };

type AuditRowLike = { actorId: string | null; actorLabel: string; actorToken: Prisma.JsonValue | null };

/** Who acted, as the view says it: the token when one was used, else the person, else the system. */
export function actorOf(row: AuditRowLike): z.infer<typeof ZAuditEventView>["actor"] {
  const token = row.actorToken as { id: string; name: string; owner: { type: "user" | "team"; id: string } } | null;
  if (token) return { type: "token", id: token.id, name: token.name, owner: token.owner };
  return row.actorId
    ? { type: "user", id: row.actorId, label: row.actorLabel }
    : { type: "system", label: row.actorLabel };
}
