import "server-only";
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { serviceUnavailable } from "@/lib/errors";
import { log } from "@/lib/log/logger";

// GitHub's secret-scanning public keys, from SECRET_SCANNING_PUBLIC_KEYS: a file, or a URL serving
// the same document as https://api.github.com/meta/public_keys/secret_scanning. Anyone can send
// the route an identifier, so what they can make Keyward fetch is bounded: the document is held,
// one load runs at a time (callers arriving meanwhile wait for it), an identifier it does not hold
// loads it again (GitHub rotates keys) at most once a window, and a failed load is remembered too,
// backing off, so a source that is down is asked again once per back-off, not once per request.
// While it is down the keys already held keep working; anything else answers 503 with Retry-After.

const ZPublicKeys = z.object({
  public_keys: z
    .array(z.object({ key_identifier: z.string(), key: z.string(), is_current: z.boolean().optional() }))
    .max(100),
});

/** An identifier the held document lacks loads it again at most this often. */
const RELOAD_WINDOW_MS = 5 * 60_000;
/** After a failed load, the next waits this long, doubling with each failure in a row up to the window. */
const FIRST_BACKOFF_MS = 10_000;

export interface PublicKeySource {
  /** The PEM key for an identifier, or null when the source does not know it; 503 when it cannot tell. */
  keyFor(identifier: string): Promise<string | null>;
}

/** `clock`: tests pass their own, so that windows and back-offs pass without waiting. */
export function publicKeySource(location: string, clock: { now(): number } = Date): PublicKeySource {
  let keys: Map<string, string> | null = null;
  let loadedAt = 0;
  let failures = 0;
  let retryAt = 0;
  let loading: Promise<void> | null = null;

  const read = async (): Promise<string> => {
    if (!/^https?:\/\//.test(location)) return readFile(location, "utf8");
    const response = await fetch(location, {
      signal: AbortSignal.timeout(10_000),
      headers: { accept: "application/json" },
    });
    if (!response.ok) throw new Error(`it answered ${response.status}`);
    return response.text();
  };
  const load = async (): Promise<void> => {
    try {
      const document = ZPublicKeys.parse(JSON.parse(await read()));
      keys = new Map(document.public_keys.map((k) => [k.key_identifier, k.key]));
      loadedAt = clock.now();
      failures = 0;
    } catch (error) {
      failures++;
      retryAt = clock.now() + Math.min(FIRST_BACKOFF_MS * 2 ** (failures - 1), RELOAD_WINDOW_MS);
      log.error(
        { location, error: reasonOf(error), retryInSeconds: (retryAt - clock.now()) / 1000 },
        "GitHub secret-scanning public keys: cannot load them",
      );
    }
  };
  const unavailable = () =>
    serviceUnavailable(
      "GitHub's secret-scanning public keys cannot be loaded right now, so the signature cannot be checked. Try again later.",
      Math.max(1, Math.ceil((retryAt - clock.now()) / 1000)),
    );

  return {
    async keyFor(identifier) {
      const held = keys?.get(identifier);
      if (held) return held;
      if (!loading) {
        const now = clock.now();
        if (failures > 0 && now < retryAt) throw unavailable();
        if (failures === 0 && keys && now - loadedAt < RELOAD_WINDOW_MS) return null;
        loading = load().finally(() => (loading = null));
      }
      await loading;
      const loaded = keys?.get(identifier);
      if (loaded) return loaded;
      if (failures > 0) throw unavailable();
      return null;
    },
  };
}

function reasonOf(error: unknown): string {
  if (error instanceof z.ZodError || error instanceof SyntaxError) return "not GitHub's key document";
  if (!(error instanceof Error)) return String(error);
  // fetch() says only "fetch failed"; why is in its cause (ECONNREFUSED, a timeout, …).
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}
