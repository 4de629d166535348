import "server-only";
import { z } from "zod";
import { zId, zText } from "@/lib/api/text";
import { recordAudit, type Actor } from "@/lib/audit/record-audit";
import { eventsRecorded } from "@/lib/events/events-recorded";
import { recordKeyEvent } from "@/lib/events/record-event";
import { prisma, type Tx } from "@/lib/db/client";
import { env } from "@/lib/env";
import { forbidden, KeywardError } from "@/lib/errors";
import { hasLimits, limitColumns, ZKeyLimits, type TKeyLimits } from "@/lib/limits/key-limits";
import { requireTeam } from "@/lib/teams/membership";
import { resolveExpiry, ZExpiry } from "../expiry-policy";
import { generateKey, TOKEN_PREFIX } from "../format";
import { ownerColumns, type KeyOwner } from "../key-owner";
import { KEY_VIEW_SELECT, toKeyView, type KeyView } from "../read/key-view";

export const ZKeyName = zText().trim().min(1, "Give the key a name").max(100);
export const ZScopes = z.array(zText().max(40)).min(1, "Choose at least one scope").max(50);

export const ZIssueKeyRequest = z.strictObject({
  name: ZKeyName,
  expiry: ZExpiry,
  scopes: ZScopes,
  /** A team where the caller is at least MEMBER; absent: a personal key. */
  teamId: zId.optional(),
  /** Optional limits (rate limit, allowed client IPs, usage cap); each absent one is unset. */
  ...ZKeyLimits.shape,
});
export type TIssueKeyRequest = z.infer<typeof ZIssueKeyRequest>;

export interface IssuedKey {
  key: KeyView;
  /** Shown to the owner exactly once; never stored, never logged. */
  plaintext: string;
}

export function checkScopes(scopes: string[]): string[] {
  const unknown = scopes.filter((s) => !env.KEY_SCOPES.includes(s));
  if (unknown.length > 0) {
    throw new KeywardError("UNPROCESSABLE", `Unknown scope: ${unknown.join(", ")}.`, [
      { path: "scopes", message: `allowed: ${env.KEY_SCOPES.join(", ")}` },
    ]);
  }
  return [...new Set(scopes)].sort();
}

/**
 * Creates the key row inside a caller's transaction (issue, rotate and renew share it, and so do
 * API tokens, kind TOKEN, which live in the same table under the same rules).
 */
export async function createKeyRow(
  tx: Tx,
  owner: KeyOwner,
  fields: {
    name: string;
    scopes: string[];
    expiresAt: Date | null;
    limits?: TKeyLimits;
    kind?: "KEY" | "TOKEN";
    issuedById?: string | null;
  },
  actor: Actor,
  detail: Record<string, string> = {},
): Promise<IssuedKey> {
  const kind = fields.kind ?? "KEY";
  if (owner.type === "user") {
    // A team's service account (lib/tokens) acts for its team only: it owns nothing of its own.
    const person = await tx.user.findUnique({ where: { id: owner.id }, select: { kind: true } });
    if (person?.kind !== "PERSON") throw forbidden("A team's API token acts for its team: name the team (teamId).");
  }
  const generated = generateKey(kind === "TOKEN" ? TOKEN_PREFIX : env.KEY_PREFIX);
  const row = await tx.apiKey.create({
    data: {
      ...ownerColumns(owner),
      kind,
      // Who issued it: an actor that is a person (a team key keeps saying who made it).
      issuedById: fields.issuedById === undefined ? actor.id : fields.issuedById,
      name: fields.name,
      scopes: fields.scopes,
      expiresAt: fields.expiresAt,
      hash: generated.hash,
      prefix: generated.displayPrefix,
      last4: generated.last4,
      ...limitColumns(fields.limits ?? {}),
    },
    select: KEY_VIEW_SELECT,
  });
  const view = toKeyView(row);
  await recordAudit(
    tx,
    actor,
    kind === "TOKEN" ? "token.issued" : "key.issued",
    row.id,
    {
      name: row.name,
      expiresAt: row.expiresAt?.toISOString() ?? "never",
      ...(hasLimits(view.limits) ? { limits: { ...view.limits } } : {}),
      ...detail,
    },
    owner.type === "team" ? owner.id : null,
  );
  await recordKeyEvent(tx, "key.created", row.id, actor, detail.rotatedFrom ? { replaces: detail.rotatedFrom } : {});
  return { key: view, plaintext: generated.plaintext };
}

/** Who will own a key the person asks for: them, or a team where they may issue keys. */
export async function chooseOwner(userId: string, teamId: string | null | undefined): Promise<KeyOwner> {
  if (!teamId) return { type: "user", id: userId };
  await requireTeam(userId, teamId, "issue-key");
  return { type: "team", id: teamId };
}

/**
 * Issues a key to the person or to one of their teams. Only a person whose address is
 * verified: an account anyone could have made for someone else's address must not be able to
 * hand out keys in that name.
 */
export async function issueKey(
  user: { id: string; emailVerified: boolean },
  input: TIssueKeyRequest,
  actor: Actor,
): Promise<IssuedKey> {
  if (!user.emailVerified) {
    throw forbidden(
      "Verify your email address before issuing keys: open the link we sent you (Settings can send a new one).",
    );
  }
  const owner = await chooseOwner(user.id, input.teamId);
  const now = new Date();
  const expiresAt = resolveExpiry(input.expiry, now, {
    maxLifetimeDays: env.KEY_MAX_LIFETIME_DAYS,
    allowNeverExpires: env.KEY_ALLOW_NEVER_EXPIRES,
  });
  const scopes = checkScopes(input.scopes);
  const { rateLimit, allowedIps, usageCap } = input;
  const limits = { rateLimit, allowedIps, usageCap };
  const issued = await prisma.$transaction((tx) =>
    createKeyRow(tx, owner, { name: input.name, scopes, expiresAt, limits }, actor),
  );
  eventsRecorded();
  return issued;
}
