// An in-process cache of key records by hash, for the verify hot path. It caches facts, not
// verdicts: every hit is judged by evaluateKey at that instant, so a cached key still expires
// exactly at its expiresAt (PRODUCT.md rule 1). Changes (revoke, blacklist, rotate) drop the
// entry here at once and on other instances through PostgreSQL NOTIFY (key-change-listener.ts);
// the TTL is the backstop. Unknown keys are cached briefly so floods of garbage stay in memory.
import type { KeyRecord } from "./evaluate-key";

interface Entry {
  record: KeyRecord | null;
  until: number;
}

export interface KeyCacheOptions {
  ttlMs: number;
  negativeTtlMs: number;
  maxEntries: number;
}

export class KeyCache {
  private entries = new Map<string, Entry>();
  private hashById = new Map<string, string>();
  private inflight = new Map<string, Promise<KeyRecord | null>>();
  /** Bumped by every invalidation: a load that started before one must not be cached. */
  private generation = 0;

  constructor(private readonly options: KeyCacheOptions) {}

  /** The record (null = known not to exist), or undefined when not cached. */
  get(hash: string, now: number): KeyRecord | null | undefined {
    const entry = this.entries.get(hash);
    if (!entry) return undefined;
    if (entry.until <= now) {
      this.drop(hash, entry);
      return undefined;
    }
    return entry.record;
  }

  /** Cached record, or one load per hash however many callers ask at once. */
  async load(hash: string, now: number, loader: (hash: string) => Promise<KeyRecord | null>): Promise<KeyRecord | null> {
    const cached = this.get(hash, now);
    if (cached !== undefined) return cached;
    const pending = this.inflight.get(hash);
    if (pending) return pending;
    const generation = this.generation;
    const promise = loader(hash).then(
      (record) => {
        this.inflight.delete(hash);
        if (generation === this.generation) this.set(hash, record, Date.now());
        return record;
      },
      (error: unknown) => {
        this.inflight.delete(hash);
        throw error;
      },
    );
    this.inflight.set(hash, promise);
    return promise;
  }

  set(hash: string, record: KeyRecord | null, now: number): void {
    if (this.entries.size >= this.options.maxEntries) {
      // Maps iterate in insertion order: the first entry is the oldest.
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.drop(oldest, this.entries.get(oldest)!);
    }
    const ttl = record ? this.options.ttlMs : this.options.negativeTtlMs;
    this.entries.delete(hash);
    this.entries.set(hash, { record, until: now + ttl });
    if (record) this.hashById.set(record.id, hash);
  }

  invalidate(keyId: string): void {
    this.generation += 1;
    const hash = this.hashById.get(keyId);
    if (hash !== undefined) this.drop(hash, this.entries.get(hash));
  }

  clear(): void {
    this.generation += 1;
    this.entries.clear();
    this.hashById.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private drop(hash: string, entry: Entry | undefined): void {
    this.entries.delete(hash);
    if (entry?.record) this.hashById.delete(entry.record.id);
  }
}
