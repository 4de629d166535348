import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { KeywardError } from "@/lib/errors";

export const MIN_CRON_SECRET_LENGTH = 16;

/**
 * The sweep route's guard: `Authorization: Bearer <CRON_SECRET>`, compared in constant time
 * (both sides hashed first, so not even the length leaks). Without a configured secret of at
 * least 16 characters the route refuses to run at all.
 */
export function authorizeCron(authorization: string | null, secret: string | undefined): void {
  if (!secret || secret.length < MIN_CRON_SECRET_LENGTH) {
    throw new KeywardError(
      "SERVICE_UNAVAILABLE",
      `The sweep is disabled: set CRON_SECRET to a random string of at least ${MIN_CRON_SECRET_LENGTH} characters.`,
    );
  }
  const presented = /^Bearer (.+)$/.exec(authorization ?? "")?.[1] ?? "";
  const digest = (s: string) => createHash("sha256").update(s).digest();
  if (!timingSafeEqual(digest(presented), digest(secret))) {
    throw new KeywardError("UNAUTHORIZED", "Missing or wrong cron secret (Authorization: Bearer <CRON_SECRET>).");
  }
}
