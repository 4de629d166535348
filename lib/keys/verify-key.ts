import "server-only";
import { z } from "zod";
import { prisma } from "@/lib/db/client";
import { env } from "@/lib/env";
import { evaluateKey, type KeyRecord, type VerifyResult } from "./evaluate-key";
import { checkKeyFormat, hashKey } from "./format";
import { usageRecorder } from "./usage-recorder";

export const ZVerifyRequest = z.strictObject({
  key: z.string().max(512),
  scope: z.string().min(1).max(100).optional(),
});
export type TVerifyRequest = z.infer<typeof ZVerifyRequest>;

const MALFORMED_MESSAGE = {
  prefix: "This is not a key of this service (wrong prefix).",
  length: "This key has the wrong length.",
  alphabet: "This key contains characters a key never has.",
  checksum: "This key fails its checksum: it was mistyped or truncated.",
} as const;

/** Looks a key up by the SHA-256 of its plaintext: one unique-index probe. */
export async function findKeyRecord(hash: string): Promise<KeyRecord | null> {
  const row = await prisma.apiKey.findUnique({
    where: { hash },
    select: {
      id: true,
      userId: true,
      name: true,
      scopes: true,
      expiresAt: true,
      graceEndsAt: true,
      blacklisted: { select: { reason: true, blacklistedAt: true } },
    },
  });
  if (!row) return null;
  const { blacklisted, ...rest } = row;
  return { ...rest, blacklist: blacklisted ? { reason: blacklisted.reason, at: blacklisted.blacklistedAt } : null };
}

/**
 * The one verification used by the verify route and the gate (proxy.ts). A malformed string
 * never reaches the database; a database failure throws (the caller answers 503, never VALID).
 */
export async function verifyKey(plaintext: string, scope?: string): Promise<VerifyResult> {
  const problem = checkKeyFormat(plaintext, env.KEY_PREFIX);
  if (problem) return { valid: false, code: "MALFORMED", message: MALFORMED_MESSAGE[problem] };

  const record = await findKeyRecord(hashKey(plaintext));
  if (!record) return { valid: false, code: "NOT_FOUND", message: "No such key. It was never issued, or was purged." };

  const now = new Date();
  const result = evaluateKey(record, now, scope, env.APP_URL);
  if (result.valid) usageRecorder.record(record.id, now.getTime());
  return result;
}
