import "server-only";
import { z } from "zod";
import { zText } from "@/lib/api/text";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import { eventsRecorded } from "@/lib/events/events-recorded";
import { recordKeyEvent } from "@/lib/events/record-event";
import { prisma } from "@/lib/db/client";
import { env } from "@/lib/env";
import { KeywardError, notFound } from "@/lib/errors";
import { writeBlacklistRow } from "./blacklist-row";
import { hashKey, isKeywardSecret } from "../format";
import { forgetKey } from "../check/key-store";
import { KEY_VIEW_SELECT, toKeyView, type KeyView } from "../read/key-view";

export const ZBlacklistKeyRequest = z
  .strictObject({
    keyId: zText().min(1).max(100).optional(),
    /** A leaked key pasted by an admin: hashed for the lookup, never stored or logged. */
    key: zText().max(200).optional(),
    reason: z.enum(["LEAKED", "REVOKED"]),
    note: zText().trim().max(500).optional(),
  })
  .refine((r) => (r.keyId === undefined) !== (r.key === undefined), {
    message: "Give either keyId or key, not both.",
    path: ["keyId"],
  });
export type TBlacklistKeyRequest = z.infer<typeof ZBlacklistKeyRequest>;

/** Admin: blacklist any key as LEAKED or REVOKED, found by id or by its pasted plaintext. */
export async function blacklistKey(input: TBlacklistKeyRequest, actor: Actor): Promise<KeyView> {
  const id = input.key === undefined ? input.keyId! : await idOfPastedKey(input.key.trim());
  const row = await prisma.$transaction(async (tx) => {
    const exists = await tx.apiKey.findUnique({ where: { id }, select: { id: true, teamId: true } });
    if (!exists) throw notFound("No such key.");
    // An admin's verdict (leaked) replaces a milder one (expired, rotated) so the owner sees it.
    const previous = await writeBlacklistRow(tx, id, input.reason, actor, input.note ?? null, { overwrite: true });
    await recordAudit(
      tx,
      actor,
      "key.blacklisted",
      id,
      {
        reason: input.reason,
        ...(previous ? { previousReason: previous } : {}),
        ...(input.note ? { note: input.note } : {}),
        via: input.key === undefined ? "id" : "pasted key",
      },
      exists.teamId,
    );
    // The owner hears of it through the event's notice (lib/notify), webhooks through its delivery.
    await recordKeyEvent(tx, input.reason === "LEAKED" ? "key.leaked" : "key.revoked", id, actor, {
      reason: input.reason,
      note: input.note ?? null,
    });
    return tx.apiKey.findUniqueOrThrow({ where: { id }, select: KEY_VIEW_SELECT });
  });
  forgetKey(id);
  eventsRecorded();
  return toKeyView(row);
}

async function idOfPastedKey(plaintext: string): Promise<string> {
  if (!isKeywardSecret(plaintext, env.KEY_PREFIX)) {
    throw new KeywardError("UNPROCESSABLE", "That is not a Keyward key (wrong prefix, length or checksum).", [
      { path: "key", message: "not a key of this deployment" },
    ]);
  }
  const found = await prisma.apiKey.findUnique({ where: { hash: hashKey(plaintext) }, select: { id: true } });
  if (!found) throw notFound("No key with that value was ever issued here (or it has been purged).");
  return found.id;
}
