import "server-only";
import { createClient } from "@redis/client";
import { env } from "@/lib/env";
import { log } from "@/lib/log/logger";

// Per-key rate limits: a fixed window per key, aligned to the clock (a minute window runs from
// :00 to :00), so that every instance and Redis agree on which window a request falls in.
// With REDIS_URL, the counter of a window lives in Redis: one atomic script (INCR, and the
// expiry on the first), one round trip, exact across instances. Without it, or while Redis
// cannot be reached, each instance counts in process, exactly, but on its own: N instances let
// up to N × the limit through (README, "Rate limits").

/** Windows counted in process at most (one per rate-limited key in use); README, memory. */
export const RATE_COUNTER_MAX_KEYS = 100_000;
/** How long a verification waits for Redis before counting in process instead. */
export const REDIS_TIMEOUT_MS = 250;

export interface RateTake {
  allowed: boolean;
  /** Verifications left in this window after this one (0 when refused). */
  remaining: number;
  /** Epoch ms when the window ends. */
  resetAt: number;
  /** The same, as the answer writes it (made once per window, not per verification). */
  resetAtIso: string;
}

interface Window {
  start: number;
  windowSeconds: number;
  count: number;
  resetAtIso: string;
}

export function windowStart(now: number, windowMs: number): number {
  return now - (now % windowMs);
}

function verdict(count: number, max: number, start: number, windowMs: number, resetAtIso: string): RateTake {
  return { allowed: count <= max, remaining: Math.max(0, max - count), resetAt: start + windowMs, resetAtIso };
}

/** Window ends as ISO strings, remembered (every key's window of one size ends at the same instant). */
const isoOf = new Map<number, string>();
function iso(at: number): string {
  let text = isoOf.get(at);
  if (text === undefined) {
    if (isoOf.size >= 64) isoOf.clear();
    text = new Date(at).toISOString();
    isoOf.set(at, text);
  }
  return text;
}

/** Counts in this process: exact for this instance, bounded by `maxKeys`. */
export class LocalRateCounter {
  private windows = new Map<string, Window>();

  constructor(private readonly maxKeys = RATE_COUNTER_MAX_KEYS) {}

  get size(): number {
    return this.windows.size;
  }

  /** One window per key: a key whose window size changed (its owner changed the limit) starts counting again. */
  take(keyId: string, max: number, windowSeconds: number, now: number): RateTake {
    const windowMs = windowSeconds * 1000;
    const start = windowStart(now, windowMs);
    let window = this.windows.get(keyId);
    if (!window || window.start !== start || window.windowSeconds !== windowSeconds) {
      // A new window goes to the end of the map (insertion order), so the first entry is the one
      // that rolled longest ago: the one forgotten when the map is full, its window most likely over.
      if (window) this.windows.delete(keyId);
      else if (this.windows.size >= this.maxKeys) this.windows.delete(this.windows.keys().next().value!);
      window = { start, windowSeconds, count: 0, resetAtIso: iso(start + windowMs) };
      this.windows.set(keyId, window);
    }
    window.count += 1;
    return verdict(window.count, max, start, windowMs, window.resetAtIso);
  }

  /** Gives back a verification counted by take() that was then refused for another reason. */
  giveBack(keyId: string, windowSeconds: number, now: number): void {
    const window = this.windows.get(keyId);
    if (
      window &&
      window.windowSeconds === windowSeconds &&
      window.start === windowStart(now, windowSeconds * 1000) &&
      window.count > 0
    )
      window.count -= 1;
  }
}

// KEYS[1]: the window's counter; ARGV[1]: its lifetime in ms. Returns the count with this call.
const TAKE_SCRIPT = `local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`;

type Redis = ReturnType<typeof createClient>;

/** Counts in Redis, shared by every instance; counts in process while Redis is unreachable. */
export class RedisRateCounter {
  private client: Redis;
  private sha: string | null = null;
  private lastWarning = 0;

  constructor(
    url: string,
    private readonly fallback: LocalRateCounter,
    private readonly prefix = "keyward:rate:",
  ) {
    this.client = createClient({
      url,
      // Fail fast while disconnected: a verification never queues behind a reconnect.
      disableOfflineQueue: true,
      socket: { connectTimeout: 2000, reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 5000) },
    });
    this.client.on("error", (error: Error) => this.warn(error));
    this.firstConnect = this.client.connect().then(
      () => undefined,
      (error: Error) => this.warn(error),
    );
    void this.firstConnect.finally(() => (this.connecting = false));
  }

  /** Until the first connection is made or fails: verifications wait for it (briefly) rather than count alone. */
  private connecting = true;
  private readonly firstConnect: Promise<void>;

  async take(keyId: string, max: number, windowSeconds: number, now: number): Promise<RateTake> {
    const windowMs = windowSeconds * 1000;
    const start = windowStart(now, windowMs);
    if (!this.client.isReady && this.connecting) await Promise.race([this.firstConnect, delay(REDIS_TIMEOUT_MS)]);
    if (!this.client.isReady) return this.fallback.take(keyId, max, windowSeconds, now);
    const key = `${this.prefix}${keyId}:${windowSeconds}:${start}`;
    // Kept a little past the window's end, for clocks a little apart.
    const ttl = String(windowMs + 5000);
    try {
      const count = Number(await this.run(key, ttl));
      return verdict(count, max, start, windowMs, iso(start + windowMs));
    } catch (error) {
      this.warn(error as Error);
      return this.fallback.take(keyId, max, windowSeconds, now);
    }
  }

  async giveBack(keyId: string, windowSeconds: number, now: number): Promise<void> {
    const start = windowStart(now, windowSeconds * 1000);
    if (!this.client.isReady) return this.fallback.giveBack(keyId, windowSeconds, now);
    await this.client
      .sendCommand(["DECR", `${this.prefix}${keyId}:${windowSeconds}:${start}`], { timeout: REDIS_TIMEOUT_MS })
      .catch((error: Error) => this.warn(error));
  }

  private async run(key: string, ttl: string): Promise<unknown> {
    const options = { timeout: REDIS_TIMEOUT_MS };
    if (this.sha) {
      try {
        return await this.client.sendCommand(["EVALSHA", this.sha, "1", key, ttl], options);
      } catch (error) {
        // A Redis restarted (or flushed) forgets its scripts: load it again below.
        if (!String((error as Error).message).startsWith("NOSCRIPT")) throw error;
      }
    }
    this.sha = String(await this.client.sendCommand(["SCRIPT", "LOAD", TAKE_SCRIPT], options));
    return this.client.sendCommand(["EVALSHA", this.sha, "1", key, ttl], options);
  }

  /** One line per 30 s at most: a Redis that is down must not flood the log at verify's rate. */
  private warn(error: Error): void {
    const now = Date.now();
    if (now - this.lastWarning < 30_000) return;
    this.lastWarning = now;
    log.error({ error: error.message }, "Redis (rate limits) unavailable, counting in process");
  }

  /** Whether Redis answers a PING now (readiness), within `timeoutMs`. */
  async answers(timeoutMs: number): Promise<boolean> {
    if (!this.client.isReady) return false;
    try {
      return String(await this.client.sendCommand(["PING"], { timeout: timeoutMs })) === "PONG";
    } catch {
      return false;
    }
  }

  close(): Promise<void> {
    return this.client.close().catch(() => undefined);
  }
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

export type RateCounter = LocalRateCounter | RedisRateCounter;

const KEY = Symbol.for("keyward.rate-counter");

/** This process's counter: Redis when REDIS_URL is set, else in process. */
export function rateCounter(): RateCounter {
  const holder = globalThis as { [KEY]?: RateCounter };
  if (holder[KEY]) return holder[KEY];
  const local = new LocalRateCounter();
  return (holder[KEY] = env.REDIS_URL ? new RedisRateCounter(env.REDIS_URL, local) : local);
}

/** Whether the rate limits' Redis answers (null: no REDIS_URL, counts are kept in process). */
export async function redisAnswers(timeoutMs: number): Promise<boolean | null> {
  const counter = rateCounter();
  // Not instanceof: the counter was made at start-up by another bundle, with its own copy of the class.
  return "answers" in counter ? counter.answers(timeoutMs) : null;
}

/** Closes the Redis connection, if any (at shutdown). */
export async function closeRateCounter(): Promise<void> {
  const counter = (globalThis as { [KEY]?: RateCounter })[KEY];
  if (counter instanceof RedisRateCounter) await counter.close();
}
