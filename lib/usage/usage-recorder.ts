import "server-only";
import { prisma } from "@/lib/db/client";
import { log } from "@/lib/log/logger";
import { countUsageFlushFailure } from "@/lib/metrics/registry";
import { addCounts, type HourlyCount } from "./hourly-counts";
import { HOUR_MS, OUTCOME_INDEX, USAGE_OUTCOMES, type UsageOutcome } from "./usage-outcomes";

// Verification must not become a blocking write per call. Each answer about a key is counted in
// memory (per key: successful uses, the last use and the gate's last client address; per key,
// hour and outcome: how many answers) and written at most once per interval, in one set-based
// statement; the process flushes the rest when it shuts down (lib/startup/on-start.ts).
const FLUSH_INTERVAL_MS = Number(process.env.USAGE_FLUSH_INTERVAL_MS ?? 5000);

/**
 * Keys with counts waiting to be written, at most. One entry per key used since the last flush
 * (a few hundred bytes with its hourly counts), so some tens of MB; reached only by that many
 * distinct keys within one interval, or while the database is down and flushes fail. Past it the
 * buffer is flushed at once, and a key not yet in it loses that answer's count (bookkeeping,
 * never the verdict); logged.
 */
export const USAGE_MAX_PENDING = 100_000;
/** Hours kept per pending key: more only when flushes fail for that long; older hours merge into the oldest kept. */
const MAX_HOURS_PER_KEY = 48;

/** What one key has waiting to be written. */
export interface PendingUse {
  /** Successful verifications. */
  count: number;
  /** Epoch ms of the last successful one (0: none). */
  lastUsedAt: number;
  /** The client address the gate last saw (null: none since the last flush). */
  lastClientIp: string | null;
  /** The verifier token behind the last successful one (null: an anonymous caller, or the gate). */
  lastVerifierId: string | null;
  /** Answers per hour (epoch ms of the hour's start) and outcome (USAGE_OUTCOMES order). */
  hours: Map<number, number[]>;
}

export type UsageWriter = (batch: ReadonlyMap<string, PendingUse>) => Promise<void>;

/**
 * Writes a batch in one transaction: adds to each key's count and last use, then to its hourly
 * counters and their sums (hourly-counts.ts). Keys in id order, so two instances flushing overlapping
 * keys lock their rows in the same order, and every flush locks keys before counters before sums.
 * A key purged meanwhile is skipped, not an error.
 */
async function writeUsage(batch: ReadonlyMap<string, PendingUse>): Promise<void> {
  const ids = [...batch.keys()].sort();
  const used = ids.filter((id) => batch.get(id)!.count > 0);
  const rows: HourlyCount[] = [];
  for (const id of ids) {
    for (const [hour, perOutcome] of batch.get(id)!.hours) {
      perOutcome.forEach((count, i) => {
        if (count > 0) rows.push({ keyId: id, hour, outcome: USAGE_OUTCOMES[i]!, count });
      });
    }
  }
  await prisma.$transaction([
    prisma.$executeRaw`
      UPDATE "ApiKey" AS k
      SET "usageCount" = k."usageCount" + u.n,
          "lastUsedAt" = GREATEST(k."lastUsedAt", to_timestamp(u.t)),
          "lastClientIp" = COALESCE(u.ip, k."lastClientIp"),
          -- Whoever asked last: kept with the last use, so an older batch never overwrites it.
          "lastVerifierId" = CASE WHEN k."lastUsedAt" IS NULL OR to_timestamp(u.t) >= k."lastUsedAt" THEN u.v ELSE k."lastVerifierId" END
      FROM unnest(${used}::text[], ${used.map((id) => batch.get(id)!.count)}::bigint[],
                  ${used.map((id) => batch.get(id)!.lastUsedAt / 1000)}::float8[],
                  ${used.map((id) => batch.get(id)!.lastClientIp)}::text[],
                  ${used.map((id) => batch.get(id)!.lastVerifierId)}::text[]) AS u(id, n, t, ip, v)
      WHERE k.id = u.id`,
    ...addCounts(prisma, rows),
  ]);
}

function merge(into: PendingUse, from: PendingUse): void {
  if (from.count > 0 && from.lastUsedAt > into.lastUsedAt) into.lastVerifierId = from.lastVerifierId;
  into.count += from.count;
  into.lastUsedAt = Math.max(into.lastUsedAt, from.lastUsedAt);
  // `into` holds the newer answers (it was filled after `from` was taken for writing).
  into.lastClientIp ??= from.lastClientIp;
  for (const [hour, perOutcome] of from.hours) {
    const existing = hourCounts(into, hour);
    perOutcome.forEach((n, i) => (existing[i]! += n));
  }
}

function hourCounts(entry: PendingUse, hour: number): number[] {
  let counts = entry.hours.get(hour);
  if (!counts) {
    if (entry.hours.size >= MAX_HOURS_PER_KEY) {
      // Only while flushes keep failing: fold the new hour into the oldest kept one.
      counts = entry.hours.values().next().value!;
    } else {
      counts = new Array<number>(USAGE_OUTCOMES.length).fill(0);
      entry.hours.set(hour, counts);
    }
  }
  return counts;
}

export class UsageRecorder {
  private pending = new Map<string, PendingUse>();
  /** The batch being written: still unwritten as far as usage caps are concerned. */
  private writing: ReadonlyMap<string, PendingUse> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  /** Answers whose count was dropped because the buffer was full (since the last log line). */
  private dropped = 0;
  private flushRequested = false;
  /** Writes that have finished (committed): a reader of usageCount can tell whether one ended meanwhile. */
  flushes = 0;

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

  /**
   * Counts one answer about a key at `at` (epoch ms). A VALID answer is also a use: it counts
   * toward the key's total and last use, and `clientIp` (the gate's client) and `verifierId`
   * (the verifier token that asked, lib/tokens) are remembered.
   */
  record(
    keyId: string,
    at: number,
    outcome: UsageOutcome = "VALID",
    clientIp: string | null = null,
    verifierId: string | null = null,
  ): void {
    let entry = this.pending.get(keyId);
    if (!entry) {
      if (this.pending.size >= this.options.maxPending) {
        this.dropped += 1;
        // One flush at a time for a full buffer, not one per answer that found it full.
        if (!this.flushRequested) {
          this.flushRequested = true;
          void this.flush().finally(() => (this.flushRequested = false));
        }
        return;
      }
      entry = { count: 0, lastUsedAt: 0, lastClientIp: null, lastVerifierId: null, hours: new Map() };
      this.pending.set(keyId, entry);
    }
    if (outcome === "VALID") {
      entry.count += 1;
      if (at >= entry.lastUsedAt) {
        entry.lastUsedAt = at;
        entry.lastVerifierId = verifierId;
      }
      if (clientIp !== null) entry.lastClientIp = clientIp;
    }
    hourCounts(entry, at - (at % HOUR_MS))[OUTCOME_INDEX[outcome]]! += 1;
    this.timer ??= setTimeout(() => void this.flush(), this.options.flushIntervalMs).unref();
  }

  /** Successful uses of a key counted here and not yet written to the database (usage caps). */
  unwritten(keyId: string): number {
    return (this.pending.get(keyId)?.count ?? 0) + (this.writing?.get(keyId)?.count ?? 0);
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
      log.error(
        { maxPending: this.options.maxPending, dropped: this.dropped },
        "usage buffer full: answers not counted",
      );
      this.dropped = 0;
    }
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    this.writing = batch;
    try {
      await this.options.write(batch);
      this.flushes += 1;
    } catch (error) {
      // Put the counts back so the next flush retries them (within the bound: what arrived
      // meanwhile stays first); usage is bookkeeping, never fatal.
      for (const [id, p] of batch) {
        const current = this.pending.get(id);
        if (current) merge(current, p);
        else if (this.pending.size < this.options.maxPending) this.pending.set(id, p);
        else this.dropped += p.count;
      }
      this.timer ??= setTimeout(() => void this.flush(), this.options.flushIntervalMs).unref();
      countUsageFlushFailure();
      log.error(
        { keys: batch.size, error: (error as Error).message },
        "usage flush failed; the counts are kept for retry",
      );
    } finally {
      this.writing = null;
    }
  }
}

const globalForUsage = globalThis as unknown as { keywardUsage?: UsageRecorder };
export const usageRecorder: UsageRecorder = (globalForUsage.keywardUsage ??= new UsageRecorder());
