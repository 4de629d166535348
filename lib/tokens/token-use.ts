import "server-only";
import { prisma } from "@/lib/db/client";
import { log } from "@/lib/log/logger";

// When each API token was last used, for its page ("last used 3 minutes ago") and the idle sweep.
// A token can make thousands of requests a minute: its row is written at most once a minute per
// instance, in the background, never in the way of the request.

const WRITE_EVERY_MS = 60_000;
/** Tokens remembered per instance; past it the oldest are forgotten (and written again on next use). */
const MAX_REMEMBERED = 10_000;

const KEY = Symbol.for("keyward.token-use");
const written: Map<string, number> = ((globalThis as { [KEY]?: Map<string, number> })[KEY] ??= new Map());

export function noteTokenUse(tokenId: string, now = Date.now()): void {
  const last = written.get(tokenId);
  if (last !== undefined && now - last < WRITE_EVERY_MS) return;
  written.delete(tokenId);
  written.set(tokenId, now);
  if (written.size > MAX_REMEMBERED) written.delete(written.keys().next().value!);
  prisma.$executeRaw`UPDATE "ApiKey" SET "lastUsedAt" = ${new Date(now)} WHERE id = ${tokenId} AND ("lastUsedAt" IS NULL OR "lastUsedAt" < ${new Date(now)})`.catch(
    (error: unknown) => {
      // Losing one "last used" write loses nothing that matters; the next use writes it again.
      written.delete(tokenId);
      log.error(
        { tokenId, error: error instanceof Error ? error.message : String(error) },
        "could not record the use of an API token",
      );
    },
  );
}
