import "server-only";
import { z } from "zod";
import { zId } from "@/lib/api/text";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import { eventsRecorded } from "@/lib/events/events-recorded";
import { recordKeyEvent } from "@/lib/events/record-event";
import { prisma } from "@/lib/db/client";
import { env } from "@/lib/env";
import { KeywardError, notFound } from "@/lib/errors";
import { limitsView } from "@/lib/limits/key-limits";
import { writeBlacklistRow } from "./blacklist-row";
import { resolveExpiry, ZExpiry } from "../expiry-policy";
import { chooseOwner, createKeyRow, type IssuedKey } from "./issue-key";
import { accessKeyOrThrow } from "../read/key-access";
import type { KeyOwner } from "../key-owner";
import { keyStatus } from "../key-status";
import { announceKeyChange, forgetKey } from "../check/key-store";
import { KEY_VIEW_SELECT, toKeyView, type KeyView } from "../read/key-view";

/** How long the old key keeps working after rotation. */
export const GRACE_OPTIONS = {
  none: 0,
  "1h": 3_600_000,
  "24h": 86_400_000,
  "7d": 7 * 86_400_000,
  "until-expiry": null,
} as const;
export type GraceOption = keyof typeof GRACE_OPTIONS;

export const ZRotateKeyRequest = z.strictObject({
  grace: z.enum(Object.keys(GRACE_OPTIONS) as [GraceOption, ...GraceOption[]]).default("none"),
  /** New key's expiry; by default it lives as long as the old one was meant to. */
  expiry: ZExpiry.optional(),
  /**
   * Who owns the new key: absent keeps the owner; null makes it the caller's personal key; a
   * team id gives it to that team (the caller must be able to issue keys there). This is how a
   * key moves to another owner, e.g. before its team is deleted.
   */
  teamId: zId.nullable().optional(),
});
export type TRotateKeyRequest = z.input<typeof ZRotateKeyRequest>;

export interface RotatedKey extends IssuedKey {
  previous: KeyView;
}

/**
 * Renew or rotate: a new key with the same name and scopes. The old key keeps working for the
 * chosen grace period (or until its own expiry), then answers REVOKED (ROTATED); the sweep
 * writes its blacklist row. Works on expired and blacklisted keys too (that is renewal, which
 * any team member may do; rotating a working team key takes its issuer or a team admin).
 */
export async function rotateKey(
  userId: string,
  id: string,
  request: TRotateKeyRequest,
  actor: Actor,
): Promise<RotatedKey> {
  const input = ZRotateKeyRequest.parse(request);
  const now = new Date();
  const { row: current } = await accessKeyOrThrow(userId, id, "view");
  const working = ["ACTIVE", "EXPIRING", "GRACE"].includes(keyStatus(current, now, 0));
  await accessKeyOrThrow(userId, id, working ? "rotate" : "renew");
  const owner: KeyOwner =
    input.teamId === undefined
      ? current.teamId
        ? { type: "team", id: current.teamId }
        : { type: "user", id: current.userId! }
      : await chooseOwner(userId, input.teamId);
  const rotated = await prisma.$transaction(async (tx) => {
    // The row lock makes a double click (or two tabs) rotate once, not twice.
    const [locked] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "ApiKey" WHERE id = ${id} FOR UPDATE`;
    if (!locked) throw notFound("No such key.");
    const old = await tx.apiKey.findUniqueOrThrow({ where: { id }, select: KEY_VIEW_SELECT });
    if (old.replacedById) throw new KeywardError("CONFLICT", "This key has already been rotated.");

    const expiresAt = input.expiry
      ? resolveExpiry(input.expiry, now, {
          maxLifetimeDays: env.KEY_MAX_LIFETIME_DAYS,
          allowNeverExpires: env.KEY_ALLOW_NEVER_EXPIRES,
        })
      : sameLifetime(old.createdAt, old.expiresAt, now);

    // The replacement keeps the old key's limits: rotating must not quietly lift an allowlist.
    const limits = limitsView(old);
    const issued = await createKeyRow(tx, owner, { name: old.name, scopes: old.scopes, expiresAt, limits }, actor, {
      rotatedFrom: id,
    });

    const status = keyStatus(old, now, 0);
    const stillWorks = status === "ACTIVE" || status === "EXPIRING" || status === "GRACE";
    let graceEndsAt: Date | null = old.graceEndsAt;
    if (stillWorks) {
      const graceMs = GRACE_OPTIONS[input.grace];
      if (graceMs === null && !old.expiresAt) {
        throw new KeywardError("UNPROCESSABLE", "This key never expires: choose a grace period.", [
          { path: "grace", message: "until-expiry needs a key that expires" },
        ]);
      }
      if (graceMs === 0) {
        await writeBlacklistRow(tx, id, "ROTATED", actor, `Replaced by ${issued.key.masked}`, { overwrite: false });
        graceEndsAt = null;
      } else if (graceMs !== null) {
        graceEndsAt = new Date(now.getTime() + graceMs);
      }
    }
    const previous = await tx.apiKey.update({
      where: { id },
      data: { replacedById: issued.key.id, graceEndsAt },
      select: KEY_VIEW_SELECT,
    });
    await recordAudit(
      tx,
      actor,
      "key.rotated",
      id,
      {
        newKeyId: issued.key.id,
        grace: input.grace,
        graceEndsAt: graceEndsAt?.toISOString() ?? null,
        ...(input.teamId !== undefined ? { newOwner: `${owner.type}:${owner.id}` } : {}),
      },
      previous.teamId,
    );
    await recordKeyEvent(tx, "key.rotated", id, actor, {
      replacedBy: issued.key.id,
      graceEndsAt: stillWorks ? graceEndsAt : null,
    });
    // Cached copies elsewhere lack the new grace end: they must reload.
    await announceKeyChange(tx, id);
    return { ...issued, previous: toKeyView(previous, now) };
  });
  forgetKey(id);
  eventsRecorded();
  return rotated;
}

/** The old key's intended lifetime, capped by today's maximum; never stays never if allowed. */
function sameLifetime(createdAt: Date, expiresAt: Date | null, now: Date): Date | null {
  const maxMs = env.KEY_MAX_LIFETIME_DAYS * 86_400_000;
  if (!expiresAt) {
    if (env.KEY_ALLOW_NEVER_EXPIRES) return null;
    return new Date(now.getTime() + (maxMs || 90 * 86_400_000));
  }
  const lifetime = Math.max(expiresAt.getTime() - createdAt.getTime(), 86_400_000);
  return new Date(now.getTime() + (maxMs > 0 ? Math.min(lifetime, maxMs) : lifetime));
}
