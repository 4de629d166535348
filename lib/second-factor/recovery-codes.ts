import "server-only";
import { randomInt, timingSafeEqual } from "node:crypto";
import { keyedDigest } from "./sealed";

// Recovery codes: 10 per enrolment, each 10 characters of Crockford's base32 (50 random bits),
// shown as "xxxxx-xxxxx". Typed back in any case, with or without the dash or spaces, and with
// the letters people confuse (i, l → 1; o → 0) read as Crockford says. Kept as keyed hashes.

export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
const LENGTH = 10;

export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from({ length: LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

/** The code's canonical form, or null when it cannot be one of ours. */
export function normalizeRecoveryCode(input: string): string | null {
  const code = input.toLowerCase().replace(/[\s-]/g, "").replace(/[il]/g, "1").replace(/o/g, "0");
  if (code.length !== LENGTH || [...code].some((c) => !ALPHABET.includes(c))) return null;
  return code;
}

export function hashRecoveryCode(code: string): string {
  return keyedDigest("recovery-code", normalizeRecoveryCode(code) ?? code);
}

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
