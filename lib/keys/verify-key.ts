import "server-only";
import { z } from "zod";
import { zText } from "@/lib/api/text";
import { env } from "@/lib/env";
import { evaluateKey, type VerifyResult } from "./evaluate-key";
import { checkKeyFormat, hashKey } from "./format";
import { chargeMiss } from "./key-check-limits";
import { lookupKeyRecord } from "./key-store";
import { usageRecorder } from "./usage-recorder";

export const ZVerifyRequest = z.strictObject({
  key: zText().max(512),
  scope: zText().min(1).max(100).optional(),
});
export type TVerifyRequest = z.infer<typeof ZVerifyRequest>;

const MALFORMED_MESSAGE = {
  prefix: "This is not a key of this service (wrong prefix).",
  length: "This key has the wrong length.",
  alphabet: "This key contains characters a key never has.",
  checksum: "This key fails its checksum: it was mistyped or truncated.",
} as const;

/**
 * The one verification used by the verify route and the gate (proxy.ts). A malformed string
 * never reaches the database; a database failure throws (the caller answers 503, never VALID).
 * A key that does not exist is charged to the caller's miss budget (key-check-limits.ts).
 */
export async function verifyKey(plaintext: string, scope: string | undefined, caller: { ip: string | null }): Promise<VerifyResult> {
  const problem = checkKeyFormat(plaintext, env.KEY_PREFIX);
  if (problem) return { valid: false, code: "MALFORMED", message: MALFORMED_MESSAGE[problem] };

  const record = await lookupKeyRecord(hashKey(plaintext));
  if (!record) {
    chargeMiss(caller.ip);
    return { valid: false, code: "NOT_FOUND", message: "No such key. It was never issued, or was purged." };
  }

  const now = new Date();
  const result = evaluateKey(record, now, scope, env.APP_URL);
  if (result.valid) usageRecorder.record(record.id, now.getTime());
  return result;
}
