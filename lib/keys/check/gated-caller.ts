import "server-only";
import { prisma } from "@/lib/db/client";
import { KeywardError } from "@/lib/errors";
import type { VerifyResult } from "./evaluate-key";

/**
 * The gate (proxy.ts) hands the verified key to protected routes in this request header. The
 * gate deletes any copy a client sends, so a route can trust it.
 */
export const GATED_KEY_HEADER = "x-keyward-key";

type ValidResult = Extract<VerifyResult, { valid: true }>;

export function encodeGatedKey(result: ValidResult): string {
  return Buffer.from(JSON.stringify(result)).toString("base64url");
}

export function readGatedKey(headers: Headers): ValidResult {
  const raw = headers.get(GATED_KEY_HEADER);
  if (!raw) throw new KeywardError("UNAUTHORIZED", "This endpoint needs an API key.");
  return JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as ValidResult;
}

/**
 * What a protected route knows about its caller: the key and its owner, a person (with their
 * address) or a team (with its slug), read fresh from the database.
 */
export async function gatedCaller(headers: Headers) {
  const key = readGatedKey(headers);
  const owner =
    key.owner.type === "team"
      ? await prisma.team
          .findFirst({ where: { id: key.owner.id, deletedAt: null }, select: { id: true, name: true, slug: true } })
          .then((t) => t && { type: "team" as const, ...t })
      : await prisma.user
          .findFirst({ where: { id: key.owner.id, deletedAt: null }, select: { id: true, email: true, name: true } })
          .then((u) => u && { type: "user" as const, ...u });
  if (!owner) throw new KeywardError("FORBIDDEN", "The key's owner no longer exists.");
  return {
    key: {
      id: key.keyId,
      name: key.name,
      scopes: key.scopes,
      expiresAt: key.expiresAt,
      expiresInSeconds: key.expiresInSeconds,
    },
    owner,
  };
}
