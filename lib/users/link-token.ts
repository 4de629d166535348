import { createHash, randomBytes } from "node:crypto";

// The secret of a link sent by email (verify an address, reset a password): 256 random bits, of
// which only the SHA-256 is stored. A fast hash is right for a value this random, and lets the
// lookup be one index probe.

export const hashLinkToken = (token: string) => createHash("sha256").update(token).digest("hex");

export function newLinkToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, tokenHash: hashLinkToken(token) };
}
