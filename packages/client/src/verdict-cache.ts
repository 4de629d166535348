// Verify's optional in-process cache: VALID answers only, each for at most `ttlMs`, never past
// the key's expiresAt (or the end of a rotated key's grace), at most `maxEntries` of them (the
// oldest goes first). A key revoked meanwhile may still be answered VALID from here until its
// entry ends: the TTL is that staleness, so keep it to seconds. Refusals are never cached (a
// renewed or unblocked key works at once), nor answers for keys with a rate limit (Keyward must
// count every use; the answer says when a key has one). Cached uses are not counted by Keyward:
// usage figures, lastUsedAt and a key's usage cap see one use per cache fill.
import type { ValidVerdict, VerifyResult } from "./types.js";

export interface VerifyCacheOptions {
  /** How long a VALID answer is reused, in ms (default 5,000; 0 turns the cache off). */
  ttlMs?: number;
  /** Most answers kept at once (default 1,000). */
  maxEntries?: number;
}

export const DEFAULT_VERIFY_CACHE = { ttlMs: 5_000, maxEntries: 1_000 } as const;

interface Entry {
  verdict: ValidVerdict;
  until: number;
}

export class VerdictCache {
  readonly ttlMs: number;
  readonly maxEntries: number;
  private readonly entries = new Map<string, Entry>();

  constructor(
    options: VerifyCacheOptions = {},
    private readonly now: () => number = Date.now,
  ) {
    this.ttlMs = options.ttlMs ?? DEFAULT_VERIFY_CACHE.ttlMs;
    this.maxEntries = options.maxEntries ?? DEFAULT_VERIFY_CACHE.maxEntries;
    if (!Number.isFinite(this.ttlMs) || this.ttlMs < 0)
      throw new RangeError(`verifyCache.ttlMs must be 0 or more, not ${this.ttlMs}`);
    if (!Number.isInteger(this.maxEntries) || this.maxEntries < 1)
      throw new RangeError(`verifyCache.maxEntries must be a positive integer, not ${this.maxEntries}`);
  }

  get size(): number {
    return this.entries.size;
  }

  get(id: string): ValidVerdict | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    const t = this.now();
    if (t >= entry.until) {
      this.entries.delete(id);
      return undefined;
    }
    return withRemainingLifetime(entry.verdict, t);
  }

  set(id: string, verdict: VerifyResult): void {
    if (!verdict.valid || verdict.ratelimit || this.ttlMs === 0) return;
    const t = this.now();
    const until = Math.min(t + this.ttlMs, instant(verdict.expiresAt), instant(verdict.graceEndsAt));
    if (until <= t) return;
    this.entries.delete(id); // re-inserted last: the order is the eviction order
    this.entries.set(id, { verdict, until });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  clear(): void {
    this.entries.clear();
  }
}

function instant(iso: string | null | undefined): number {
  return iso ? Date.parse(iso) : Number.POSITIVE_INFINITY;
}

/** A cached answer says how long the key has left now, as Keyward would (whole seconds, down). */
function withRemainingLifetime(verdict: ValidVerdict, t: number): ValidVerdict {
  if (verdict.expiresAt === null) return verdict;
  return { ...verdict, expiresInSeconds: Math.floor((Date.parse(verdict.expiresAt) - t) / 1000) };
}

/** The cache's id for a question: a digest, so the cache does not hold the keys themselves. */
export async function verdictCacheId(key: string, scope: string | undefined, ip: string | undefined): Promise<string> {
  const bytes = new TextEncoder().encode(`${key}\u0000${scope ?? ""}\u0000${ip ?? ""}`);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}
