import "server-only";
import { timingSafeEqual } from "node:crypto";
import { keyedDigest } from "./sealed";

// A short-lived, server-made statement "this user just proved who they are", signed with a key
// derived from AUTH_SECRET. It travels only inside the server, from a route to next-auth's
// callbacks (next-auth takes no other argument there): re-authentication refreshes the session's
// authAt with one, and a password change signs the browser in again with one instead of the
// second factor it already gave. A client cannot make one, and one seen is useless a minute later.

const TTL_MS = 60_000;

export type ProofPurpose = "reauth" | "second-factor";

export function mintProof(purpose: ProofPurpose, userId: string, now = Date.now()): string {
  const body = `${purpose}.${userId}.${now}`;
  return `${body}.${keyedDigest("proof", body)}`;
}

/** When the proof was made (ms), or null unless it is genuine, for this purpose and user, and fresh. */
export function checkProof(
  purpose: ProofPurpose,
  proof: unknown,
  userId: string | undefined,
  now = Date.now(),
): number | null {
  if (typeof proof !== "string" || !userId || proof.length > 300) return null;
  const at = proof.lastIndexOf(".");
  const body = proof.slice(0, at);
  const mac = Buffer.from(proof.slice(at + 1));
  const expected = Buffer.from(keyedDigest("proof", body));
  if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) return null;
  const [kind, subject, madeAt] = body.split(".");
  const made = Number(madeAt);
  if (
    kind !== purpose ||
    subject !== userId ||
    !Number.isSafeInteger(made) ||
    made > now + 5_000 ||
    now - made > TTL_MS
  )
    return null;
  return made;
}
