import "server-only";
import { readFile } from "node:fs/promises";
import { z } from "zod";

// GitHub's secret-scanning public keys, from SECRET_SCANNING_PUBLIC_KEYS: a file, or a URL serving
// the same document as https://api.github.com/meta/public_keys/secret_scanning. A fetched document
// is cached; an identifier it does not hold makes it fetched again (GitHub rotates keys), at most
// once a minute, so a flood of made-up identifiers cannot turn into a flood of fetches.

const ZPublicKeys = z.object({
  public_keys: z.array(z.object({ key_identifier: z.string(), key: z.string(), is_current: z.boolean().optional() })).max(100),
});

const REFETCH_MIN_MS = 60_000;

export interface PublicKeySource {
  /** The PEM key for an identifier, or null when the source does not know it. */
  keyFor(identifier: string): Promise<string | null>;
}

export function publicKeySource(location: string): PublicKeySource {
  let cache: Map<string, string> | null = null;
  let fetchedAt = 0;
  const load = async (): Promise<Map<string, string>> => {
    const text = /^https?:\/\//.test(location)
      ? await fetch(location, { signal: AbortSignal.timeout(10_000), headers: { accept: "application/json" } }).then((r) => {
          if (!r.ok) throw new Error(`${location} answered ${r.status}`);
          return r.text();
        })
      : await readFile(location, "utf8");
    const document = ZPublicKeys.parse(JSON.parse(text));
    fetchedAt = Date.now();
    return new Map(document.public_keys.map((k) => [k.key_identifier, k.key]));
  };
  return {
    async keyFor(identifier) {
      if (!cache) cache = await load();
      if (!cache.has(identifier) && Date.now() - fetchedAt >= REFETCH_MIN_MS) cache = await load();
      return cache.get(identifier) ?? null;
    },
  };
}
