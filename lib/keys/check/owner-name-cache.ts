// Owners' display names for verify answers (`owner.name`), kept apart from the key lookup so that
// the hot query stays one probe of one index: joining User and Team on every cache miss cost the
// miss path about a fifth of its throughput (README, Performance: teams before and after).
// Owners are few next to keys, so nearly every miss finds its owner's name here. A rename drops
// the entry here at once and on other instances through PostgreSQL NOTIFY (lib/db/owner-change.ts);
// the TTL is the backstop. A key already in the key cache keeps the name it was loaded with until
// its own TTL.
import type { KeyRecordOwner } from "./evaluate-key";

type OwnerType = KeyRecordOwner["type"];

export interface OwnerNameCacheOptions {
  ttlMs: number;
  /** Owners held at most (the oldest goes first). */
  maxEntries: number;
}

interface Entry {
  name: string;
  until: number;
}

export class OwnerNameCache {
  private entries = new Map<string, Entry>();
  private inflight = new Map<string, Promise<string>>();
  /** Bumped by every invalidation: a load that started before one must not be cached. */
  private generation = 0;

  constructor(private readonly options: OwnerNameCacheOptions) {}

  /** The owner's name, or one load per owner however many callers ask at once. */
  name(
    type: OwnerType,
    id: string,
    now: number,
    loader: (type: OwnerType, id: string) => Promise<string>,
  ): string | Promise<string> {
    const entry = this.entries.get(id);
    if (entry && entry.until > now) return entry.name;
    if (entry) this.entries.delete(id);
    const pending = this.inflight.get(id);
    if (pending) return pending;
    const generation = this.generation;
    const promise = loader(type, id).then(
      (name) => {
        this.inflight.delete(id);
        if (generation === this.generation) this.set(id, name, Date.now());
        return name;
      },
      (error: unknown) => {
        this.inflight.delete(id);
        throw error;
      },
    );
    this.inflight.set(id, promise);
    return promise;
  }

  set(id: string, name: string, now: number): void {
    this.entries.delete(id);
    // Maps iterate in insertion order: the first entry is the oldest.
    if (this.entries.size >= this.options.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(id, { name, until: now + this.options.ttlMs });
  }

  invalidate(id: string): void {
    this.generation += 1;
    this.entries.delete(id);
    // A caller after this must not join a load that began before the change.
    this.inflight.delete(id);
  }

  clear(): void {
    this.generation += 1;
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
