import "server-only";
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from "node:crypto";

// The second factor's secrets, under keys derived from AUTH_SECRET: a TOTP secret must be
// readable to check codes with, so it is sealed (AES-256-GCM, bound to its user: a sealed secret
// copied onto another account's row does not open); recovery codes are kept as keyed hashes, so a
// copy of the database alone can neither mint codes nor test guesses offline. Changing
// AUTH_SECRET makes both unreadable: every enrolled user then needs an admin's reset (README).

function derivedKey(purpose: string): Buffer {
  const secret = process.env.AUTH_SECRET;
  if (!secret) throw new Error("AUTH_SECRET is not set.");
  return Buffer.from(hkdfSync("sha256", secret, "keyward", purpose, 32));
}

/** "v1:" + base64(iv | tag | ciphertext), bound to `owner`. */
export function seal(plaintext: string, owner: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", derivedKey("second-factor-seal"), iv);
  cipher.setAAD(Buffer.from(owner, "utf8"));
  const sealed = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return `v1:${Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString("base64")}`;
}

/** The plaintext, or null when the box does not open (another owner, a changed AUTH_SECRET, tampering). */
export function unseal(box: string, owner: string): string | null {
  if (!box.startsWith("v1:")) return null;
  try {
    const raw = Buffer.from(box.slice(3), "base64");
    const decipher = createDecipheriv("aes-256-gcm", derivedKey("second-factor-seal"), raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(owner, "utf8"));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}

/** HMAC-SHA256 under a key of its own per purpose, base64url. */
export function keyedDigest(purpose: string, value: string): string {
  return createHmac("sha256", derivedKey(`second-factor-${purpose}`))
    .update(value, "utf8")
    .digest("base64url");
}
