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

/** What a protected route knows about its caller: the key and its owner. */
export async function gatedCaller(headers: Headers) {
  const key = readGatedKey(headers);
  const owner = await prisma.user.findUnique({
    where: { id: key.ownerId },
    select: { id: true, email: true, name: true },
  });
  if (!owner) throw new KeywardError("FORBIDDEN", "The key's owner no longer exists.");
  return {
    key: { id: key.keyId, name: key.name, scopes: key.scopes, expiresAt: key.expiresAt, expiresInSeconds: key.expiresInSeconds },
    owner,
  };
}
