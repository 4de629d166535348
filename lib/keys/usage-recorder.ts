import "server-only";
import { prisma } from "@/lib/db/client";

// Verification must not become a blocking write per call. Uses are counted in memory and
// written at most once per key per interval, in one set-based UPDATE; the process flushes the
// rest when it shuts down (instrumentation.ts).
const FLUSH_INTERVAL_MS = Number(process.env.USAGE_FLUSH_INTERVAL_MS ?? 5000);

/**
 * Keys with counts waiting to be written, at most. One entry per key used since the last flush
 * (about 100 bytes), so about 10 MB; reached only by that many distinct keys within one interval,
 * or while the database is down and flushes fail. Past it the buffer is flushed at once, and a
 * key not yet in it loses that use's count (bookkeeping, never the verdict); logged.
 */
export const USAGE_MAX_PENDING = 100_000;

interface Pending {
  count: number;
  lastUsedAt: number;
}

export type UsageWriter = (ids: string[], counts: number[], lastUsedAt: number[]) => Promise<void>;

async function writeUsage(ids: string[], counts: number[], lastUsedAt: number[]): Promise<void> {
  const times = lastUsedAt.map((t) => t / 1000);
  await prisma.$executeRaw`
    UPDATE "ApiKey" AS k
    SET "usageCount" = k."usageCount" + u.n,
        "lastUsedAt" = GREATEST(k."lastUsedAt", to_timestamp(u.t))
    FROM unnest(${ids}::text[], ${counts}::bigint[], ${times}::float8[]) AS u(id, n, t)
    WHERE k.id = u.id`;
}

export class UsageRecorder {
  private pending = new Map<string, Pending>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  /** Uses whose count was dropped because the buffer was full (since the last log line). */
  private dropped = 0;
  private flushRequested = false;

  constructor(
    private readonly options: { maxPending: number; flushIntervalMs: number; write: UsageWriter } = {
      maxPending: USAGE_MAX_PENDING,
      flushIntervalMs: FLUSH_INTERVAL_MS,
      write: writeUsage,
    },
  ) {}

  /** Keys waiting to be written (never more than maxPending). */
  get size(): number {
    return this.pending.size;
  }

  record(keyId: string, at: number): void {
    const entry = this.pending.get(keyId);
    if (entry) {
      entry.count += 1;
      entry.lastUsedAt = Math.max(entry.lastUsedAt, at);
    } else if (this.pending.size >= this.options.maxPending) {
      this.dropped += 1;
      // One flush at a time for a full buffer, not one per use that found it full.
      if (!this.flushRequested) {
        this.flushRequested = true;
        void this.flush().finally(() => (this.flushRequested = false));
      }
      return;
    } else {
      this.pending.set(keyId, { count: 1, lastUsedAt: at });
    }
    this.timer ??= setTimeout(() => void this.flush(), this.options.flushIntervalMs).unref();
  }

  /** Writes what is pending; concurrent calls queue behind each other. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.write());
    return this.flushing;
  }

  private async write(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.dropped > 0) {
      console.error(`[keyward] usage buffer full (${this.options.maxPending} keys): ${this.dropped} uses not counted`);
      this.dropped = 0;
    }
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    const ids = [...batch.keys()];
    try {
      await this.options.write(
        ids,
        ids.map((id) => batch.get(id)!.count),
        ids.map((id) => batch.get(id)!.lastUsedAt),
      );
    } catch (error) {
      // Put the counts back so the next flush retries them (within the bound: what arrived
      // meanwhile stays first); usage is bookkeeping, never fatal.
      for (const [id, p] of batch) {
        const current = this.pending.get(id);
        if (current) this.pending.set(id, { count: current.count + p.count, lastUsedAt: Math.max(current.lastUsedAt, p.lastUsedAt) });
        else if (this.pending.size < this.options.maxPending) this.pending.set(id, p);
        else this.dropped += p.count;
      }
      this.timer ??= setTimeout(() => void this.flush(), this.options.flushIntervalMs).unref();
      console.error(`[keyward] usage flush failed (${ids.length} keys kept for retry): ${(error as Error).message}`);
    }
  }
}

const globalForUsage = globalThis as unknown as { keywardUsage?: UsageRecorder };
export const usageRecorder: UsageRecorder = (globalForUsage.keywardUsage ??= new UsageRecorder());
