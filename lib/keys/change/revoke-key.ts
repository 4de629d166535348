import "server-only";
import { z } from "zod";
import { zText } from "@/lib/api/text";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import { eventsRecorded } from "@/lib/events/events-recorded";
import { recordKeyEvent } from "@/lib/events/record-event";
import { prisma } from "@/lib/db/client";
import { writeBlacklistRow } from "./blacklist-row";
import { accessKeyOrThrow } from "../read/key-access";
import { forgetKey } from "../check/key-store";
import { KEY_VIEW_SELECT, toKeyView, type KeyView } from "../read/key-view";

export const ZRevokeKeyRequest = z.strictObject({ note: zText().trim().max(500).optional() });
export type TRevokeKeyRequest = z.infer<typeof ZRevokeKeyRequest>;

/** The owner (or a member of the owning team) revokes a key: REVOKED, refused at once everywhere. */
export async function revokeKey(userId: string, id: string, input: TRevokeKeyRequest, actor: Actor): Promise<KeyView> {
  const { row: key } = await accessKeyOrThrow(userId, id, "revoke");
  const row = await prisma.$transaction(async (tx) => {
    await writeBlacklistRow(tx, id, "REVOKED", actor, input.note ?? null, { overwrite: false });
    await recordAudit(tx, actor, "key.revoked", id, input.note ? { note: input.note } : undefined, key.teamId);
    await recordKeyEvent(tx, "key.revoked", id, actor, { reason: "REVOKED", note: input.note ?? null });
    return tx.apiKey.findUniqueOrThrow({ where: { id }, select: KEY_VIEW_SELECT });
  });
  forgetKey(id);
  eventsRecorded();
  return toKeyView(row);
}
