import "server-only";
import { prisma } from "@/lib/db/client";

// Verification must not become a blocking write per call. Uses are counted in memory and
// written at most once per key per interval, in one set-based UPDATE; the process flushes the
// rest when it shuts down (instrumentation.ts).
const FLUSH_INTERVAL_MS = Number(process.env.USAGE_FLUSH_INTERVAL_MS ?? 5000);

interface Pending {
  count: number;
  lastUsedAt: number;
}

class UsageRecorder {
  private pending = new Map<string, Pending>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  record(keyId: string, at: number): void {
    const entry = this.pending.get(keyId);
    if (entry) {
      entry.count += 1;
      entry.lastUsedAt = Math.max(entry.lastUsedAt, at);
    } else {
      this.pending.set(keyId, { count: 1, lastUsedAt: at });
    }
    this.timer ??= setTimeout(() => void this.flush(), FLUSH_INTERVAL_MS).unref();
  }

  /** Writes what is pending; concurrent calls queue behind each other. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.write());
    return this.flushing;
  }

  private async write(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    const ids = [...batch.keys()];
    const counts = ids.map((id) => batch.get(id)!.count);
    const times = ids.map((id) => batch.get(id)!.lastUsedAt / 1000);
    try {
      await prisma.$executeRaw`
        UPDATE "ApiKey" AS k
        SET "usageCount" = k."usageCount" + u.n,
            "lastUsedAt" = GREATEST(k."lastUsedAt", to_timestamp(u.t))
        FROM unnest(${ids}::text[], ${counts}::bigint[], ${times}::float8[]) AS u(id, n, t)
        WHERE k.id = u.id`;
    } catch (error) {
      // Put the counts back so the next flush retries them; usage is bookkeeping, never fatal.
      for (const [id, p] of batch) {
        const current = this.pending.get(id);
        this.pending.set(id, current ? { count: current.count + p.count, lastUsedAt: Math.max(current.lastUsedAt, p.lastUsedAt) } : p);
      }
      this.timer ??= setTimeout(() => void this.flush(), FLUSH_INTERVAL_MS).unref();
      console.error(`[keyward] usage flush failed (${ids.length} keys kept for retry): ${(error as Error).message}`);
    }
  }
}

const globalForUsage = globalThis as unknown as { keywardUsage?: UsageRecorder };
export const usageRecorder: UsageRecorder = (globalForUsage.keywardUsage ??= new UsageRecorder());
