// Key format (PRODUCT.md rule 5): `<prefix>_<30 base62 random><6 base62 CRC32 of the random>`.
// ≈178 bits of randomness; the checksum lets anyone (secret scanners, this service) reject a
// mistyped or invented key without a database query. Pure functions, safe anywhere.
import { createHash, randomBytes } from "node:crypto";
import { crc32 } from "node:zlib";

/** API tokens to Keyward itself (lib/tokens): the keys' format under a prefix of their own. */
export const TOKEN_PREFIX = "kwt";

export const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
export const RANDOM_LENGTH = 30;
export const CHECKSUM_LENGTH = 6;
const BODY_LENGTH = RANDOM_LENGTH + CHECKSUM_LENGTH;
const BODY_RE = /^[0-9A-Za-z]+$/;

export interface GeneratedKey {
  /** The plaintext, shown to the owner exactly once. */
  plaintext: string;
  hash: string;
  /** Display prefix: the key's prefix and the first 4 random characters, e.g. "kw_Ab3x". */
  displayPrefix: string;
  last4: string;
}

/** 30 uniformly random base62 characters (rejection sampling keeps it unbiased). */
function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      // 248 = 4 × 62: bytes above it would make the first characters likelier.
      if (byte < 248) out += BASE62[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

export function checksum(random: string): string {
  let n = crc32(random);
  let out = "";
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}

export function hashKey(plaintext: string): string {
  return createHash("sha256").update(plaintext).digest("hex");
}

export function generateKey(prefix: string): GeneratedKey {
  const random = randomBase62(RANDOM_LENGTH);
  const plaintext = `${prefix}_${random}${checksum(random)}`;
  return {
    plaintext,
    hash: hashKey(plaintext),
    displayPrefix: `${prefix}_${random.slice(0, 4)}`,
    last4: plaintext.slice(-4),
  };
}

export type FormatProblem = "prefix" | "length" | "alphabet" | "checksum";

/** Returns null for a well-formed key of this deployment, or what is wrong with it. */
export function checkKeyFormat(candidate: string, prefix: string): FormatProblem | null {
  if (!candidate.startsWith(`${prefix}_`)) return "prefix";
  const body = candidate.slice(prefix.length + 1);
  if (body.length !== BODY_LENGTH) return "length";
  if (!BODY_RE.test(body)) return "alphabet";
  const random = body.slice(0, RANDOM_LENGTH);
  if (checksum(random) !== body.slice(RANDOM_LENGTH)) return "checksum";
  return null;
}

/**
 * Whether a string is well formed as a key of this deployment (`keyPrefix`) or as an API token:
 * what leak reports and an admin's pasted key may name. Anything else never reaches the database.
 */
export function isKeywardSecret(candidate: string, keyPrefix: string): boolean {
  return checkKeyFormat(candidate, keyPrefix) === null || checkKeyFormat(candidate, TOKEN_PREFIX) === null;
}

/** "kw_Ab3x…9f2Q": how a key is shown everywhere after issuance. */
export function maskKey(displayPrefix: string, last4: string): string {
  return `${displayPrefix}…${last4}`;
}
