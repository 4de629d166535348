import "server-only";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import { prisma } from "@/lib/db/client";
import { KeywardError, notFound } from "@/lib/errors";
import { accessKeyOrThrow } from "../read/key-access";
import { keyStatus } from "../key-status";
import { announceKeyChange, forgetKey } from "../check/key-store";
import { KEY_VIEW_SELECT, toKeyView, type KeyView } from "../read/key-view";
import { limitColumns, limitsView, namesAnyLimit, sameLimits, type TKeyLimits } from "@/lib/limits/key-limits";

/**
 * The owner (the key's issuer or a team admin, for a team key) changes some of a key's limits;
 * those left out stay as they are. Audited with the limits before and after; every instance's
 * cached copy of the key goes at commit, so the next verification anywhere obeys the new limits
 * (raising a usage cap revives a key that answered USAGE_EXCEEDED). A key that no longer works
 * (blacklisted, expired) is refused with 409: its limits would never apply, and a change would
 * only make the history say otherwise. Its replacement, once renewed, has limits of its own.
 */
export async function updateKeyLimits(userId: string, id: string, input: TKeyLimits, actor: Actor): Promise<KeyView> {
  if (!namesAnyLimit(input)) {
    throw new KeywardError("UNPROCESSABLE", "Name at least one limit to change: rateLimit, allowedIps or usageCap.");
  }
  await accessKeyOrThrow(userId, id, "limits");
  const now = new Date();
  const { row, changed } = await prisma.$transaction(async (tx) => {
    // The row lock orders concurrent changes, so each audit entry's "before" is what it replaced.
    const [locked] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "ApiKey" WHERE id = ${id} FOR UPDATE`;
    if (!locked) throw notFound("No such key.");
    const current = await tx.apiKey.findUniqueOrThrow({ where: { id }, select: KEY_VIEW_SELECT });
    const status = keyStatus(current, now, 0);
    if (status === "BLACKLISTED" || status === "EXPIRED") {
      throw new KeywardError(
        "CONFLICT",
        `This key no longer works (${current.blacklisted?.reason ?? status}): its limits cannot be changed.`,
      );
    }
    const before = limitsView(current);
    const updated = await tx.apiKey.update({ where: { id }, data: limitColumns(input), select: KEY_VIEW_SELECT });
    const after = limitsView(updated);
    if (sameLimits(before, after)) return { row: updated, changed: false };
    await recordAudit(
      tx,
      actor,
      "key.limits_changed",
      id,
      { before: { ...before }, after: { ...after } },
      updated.teamId,
    );
    await announceKeyChange(tx, id);
    return { row: updated, changed: true };
  });
  if (changed) forgetKey(id);
  return toKeyView(row, now);
}
