// An in-process cache of key records by hash, for the verify hot path. It caches facts, not
// verdicts: every hit is judged by evaluateKey at that instant, so a cached key still expires
// exactly at its expiresAt (PRODUCT.md rule 1). Changes (revoke, blacklist, rotate) drop the
// entry here at once and on other instances through PostgreSQL NOTIFY (key-change-listener.ts);
// the TTL is the backstop. Unknown keys are remembered briefly, in a smaller map of their own:
// the checksum is public, so anyone can invent well-formed keys, and a flood of them must never
// push real keys out of the cache.
import type { KeyRecord } from "./evaluate-key";

interface Entry {
  record: KeyRecord;
  until: number;
}

export interface KeyCacheOptions {
  ttlMs: number;
  negativeTtlMs: number;
  /** Known keys held at most (the oldest goes first). */
  maxEntries: number;
  /** Unknown keys held at most, apart from the known ones. */
  maxMisses: number;
}

export class KeyCache {
  private entries = new Map<string, Entry>();
  /** Hashes known not to exist, with the time until which that is trusted. */
  private misses = new Map<string, number>();
  private hashById = new Map<string, string>();
  private inflight = new Map<string, Promise<KeyRecord | null>>();
  /** Bumped by every invalidation: a load that started before one must not be cached. */
  private generation = 0;
  /** Lookups answered from the cache (a known key, or one known not to exist), and those that went on to load. */
  hits = 0;
  loads = 0;

  constructor(private readonly options: KeyCacheOptions) {}

  /** The record (null = known not to exist), or undefined when not cached. */
  get(hash: string, now: number): KeyRecord | null | undefined {
    const entry = this.entries.get(hash);
    if (!entry) {
      const until = this.misses.get(hash);
      if (until === undefined) return undefined;
      if (until > now) return null;
      this.misses.delete(hash);
      return undefined;
    }
    if (entry.until <= now) {
      this.drop(hash, entry);
      return undefined;
    }
    return entry.record;
  }

  /** Cached record, or one load per hash however many callers ask at once. */
  async load(
    hash: string,
    now: number,
    loader: (hash: string) => Promise<KeyRecord | null>,
  ): Promise<KeyRecord | null> {
    const cached = this.get(hash, now);
    if (cached !== undefined) {
      this.hits += 1;
      return cached;
    }
    this.loads += 1;
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
    if (record === null) {
      this.misses.delete(hash);
      // Maps iterate in insertion order: the first entry is the oldest.
      if (this.misses.size >= this.options.maxMisses) this.misses.delete(this.misses.keys().next().value!);
      this.misses.set(hash, now + this.options.negativeTtlMs);
      return;
    }
    this.misses.delete(hash);
    this.drop(hash, this.entries.get(hash));
    if (this.entries.size >= this.options.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.drop(oldest, this.entries.get(oldest)!);
    }
    this.entries.set(hash, { record, until: now + this.options.ttlMs });
    this.hashById.set(record.id, hash);
  }

  invalidate(keyId: string): void {
    this.generation += 1;
    const hash = this.hashById.get(keyId);
    if (hash !== undefined) this.drop(hash, this.entries.get(hash));
  }

  clear(): void {
    this.generation += 1;
    this.entries.clear();
    this.misses.clear();
    this.hashById.clear();
  }

  /** Known keys held. */
  get size(): number {
    return this.entries.size;
  }

  /** Unknown keys held. */
  get missCount(): number {
    return this.misses.size;
  }

  private drop(hash: string, entry: Entry | undefined): void {
    if (!entry) return;
    this.entries.delete(hash);
    this.hashById.delete(entry.record.id);
  }
}
