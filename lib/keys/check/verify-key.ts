import "server-only";
import { z } from "zod";
import { zText } from "@/lib/api/text";
import { env } from "@/lib/env";
import { applyLimits } from "@/lib/keys/check/apply-limits";
import { usageRecorder } from "@/lib/usage/usage-recorder";
import type { UsageOutcome } from "@/lib/usage/usage-outcomes";
import { evaluateKey, type VerifyResult } from "./evaluate-key";
import { checkKeyFormat, hashKey } from "../format";
import { chargeMiss } from "./key-check-limits";
import { lookupKeyRecord } from "./key-store";
import { reaches, type Verifier } from "./verifier-reach";

export const ZVerifyRequest = z.strictObject({
  key: zText().max(512),
  scope: zText().min(1).max(100).optional(),
  /** The address the key is being used from (the calling service's client): keys with an allowlist need it. */
  ip: z.union([z.ipv4(), z.ipv6()], { error: "Must be an IPv4 or IPv6 address" }).optional(),
});
export type TVerifyRequest = z.infer<typeof ZVerifyRequest>;

const MALFORMED_MESSAGE = {
  prefix: "This is not a key of this service (wrong prefix).",
  length: "This key has the wrong length.",
  alphabet: "This key contains characters a key never has.",
  checksum: "This key fails its checksum: it was mistyped or truncated.",
} as const;

export interface VerifyContext {
  /** The scope the key must have. */
  scope?: string;
  /** Who is asking (the verify route's caller, the gate's client): charged for keys that don't exist. */
  callerIp: string | null;
  /** Where the key is being used from, checked against its allowlist. */
  clientIp: string | null;
  /** The gate's check: its client address is the key's user, recorded as the key's last client. */
  gate: boolean;
  /** The verifier token that asked (lib/tokens): it hears only of keys within its reach. */
  verifier?: Verifier | null;
}

/**
 * The one verification used by the verify route and the gate (proxy.ts). A malformed string
 * never reaches the database; a database failure throws (the caller answers 503, never VALID).
 * A key that does not exist is charged to the caller's miss budget (key-check-limits.ts). Every
 * answer about a key that exists is counted in its hourly usage (lib/usage).
 */
export async function verifyKey(plaintext: string, context: VerifyContext): Promise<VerifyResult> {
  const problem = checkKeyFormat(plaintext, env.KEY_PREFIX);
  if (problem) return { valid: false, code: "MALFORMED", message: MALFORMED_MESSAGE[problem] };

  const record = await lookupKeyRecord(hashKey(plaintext));
  // An API token is no key (its prefix keeps it from here; this holds whatever the prefix); a key
  // out of the verifier's reach is, for that verifier, a key that does not exist.
  const verifier = context.verifier ?? null;
  if (!record || record.kind !== "KEY" || (verifier && !reaches(verifier.reach, record.owner))) {
    chargeMiss(context.callerIp);
    return { valid: false, code: "NOT_FOUND", message: "No such key. It was never issued, or was purged." };
  }

  const now = Date.now();
  // The allowlist's matcher reads any form of address; the gate's is already canonical.
  let result = evaluateKey(record, new Date(now), context.scope, env.APP_URL, context.clientIp);
  if (result.valid) result = await applyLimits(record, result, now);
  usageRecorder.record(
    record.id,
    now,
    result.code as UsageOutcome,
    result.valid && context.gate ? context.clientIp : null,
    verifier?.tokenId ?? null,
  );
  return result;
}
