import "server-only";
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

// Signing secrets must be readable to sign with, so they cannot be hashed like keys; they are
// kept encrypted (AES-256-GCM, a key derived from AUTH_SECRET), so a copy of the database alone
// does not let anyone forge deliveries. Changing AUTH_SECRET makes them unreadable: deliveries
// then fail with a message saying to roll the secret.

const PREFIX = "whsec_";

/** A new secret in the Standard Webhooks form: whsec_ + base64 of 24 random bytes. */
export function newWebhookSecret(): string {
  return `${PREFIX}${randomBytes(24).toString("base64")}`;
}

function boxKey(): Buffer {
  const secret = process.env.AUTH_SECRET;
  if (!secret) throw new Error("AUTH_SECRET is not set.");
  return Buffer.from(hkdfSync("sha256", secret, "keyward", "webhook-signing-secrets", 32));
}

/** "v1:" + base64(iv | tag | ciphertext). */
export function sealSecret(secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", boxKey(), iv);
  const sealed = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return `v1:${Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString("base64")}`;
}

export class UnreadableSecretError extends Error {
  constructor() {
    super("The endpoint's signing secret cannot be decrypted (was AUTH_SECRET changed?). Roll the secret.");
  }
}

export function openSecret(box: string): string {
  try {
    const raw = Buffer.from(box.replace(/^v1:/, ""), "base64");
    const decipher = createDecipheriv("aes-256-gcm", boxKey(), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
  } catch {
    throw new UnreadableSecretError();
  }
}
