import "server-only";
import { recordAudit } from "@/lib/audit/record-audit";
import { prisma } from "@/lib/db/client";
import { KeywardError } from "@/lib/errors";
import { authenticate, type AuthenticatedUser } from "@/lib/users/authenticate";
import { blockedUntil, recordFailure, recordSuccess, throttleKeys } from "./throttle";

export type PasswordSignIn =
  | { ok: true; user: AuthenticatedUser }
  | { ok: false; reason: "wrong" | "busy" }
  | { ok: false; reason: "throttled"; until: Date };

/**
 * Email + password, throttled per account and per client (throttle.ts), every outcome in the
 * audit log with the address tried and the client's address.
 */
export async function signInWithPassword(email: string, password: string, ip: string | null): Promise<PasswordSignIn> {
  const address = email.trim().toLowerCase().slice(0, 254);
  const keys = throttleKeys(address, ip);
  const attempt = { id: null, label: address || "(empty)", ip };
  const until = await blockedUntil(keys);
  if (until) {
    await recordAudit(prisma, attempt, "auth.sign_in_failed", null, { reason: "throttled", until: until.toISOString() });
    return { ok: false, reason: "throttled", until };
  }
  let user: AuthenticatedUser | null;
  try {
    user = await authenticate(address, password);
  } catch (error) {
    if (error instanceof KeywardError && error.code === "RATE_LIMITED") return { ok: false, reason: "busy" };
    throw error;
  }
  if (!user) {
    await recordFailure(keys);
    await recordAudit(prisma, attempt, "auth.sign_in_failed", null, { reason: "wrong email or password" });
    return { ok: false, reason: "wrong" };
  }
  await recordSuccess(keys);
  await recordAudit(prisma, { id: user.id, label: user.email, ip }, "auth.signed_in", null, { method: "password" });
  return { ok: true, user };
}
