// A fixed-window counter per client, in memory, with a hard bound on how many clients it holds.
// Each instance limits on its own, which is what a per-client abuse guard needs; it is not a
// billing quota. Clients are keyed by lib/net/client-address.ts's rateLimitKey (an address, or
// an IPv6 /64), never by a header a client wrote.

/** Clients tracked per limiter at most; past it the oldest entry is forgotten. */
export const RATE_LIMIT_MAX_CLIENTS = 50_000;
const MAX_KEY_LENGTH = 64;

export interface RateLimiterOptions {
  /** Requests per window per client; 0 means unlimited. */
  limit: number;
  windowMs?: number;
  maxClients?: number;
}

export class RateLimiter {
  private windowStart = 0;
  private counts = new Map<string, number>();
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly maxClients: number;

  constructor(options: RateLimiterOptions) {
    this.limit = options.limit;
    this.windowMs = options.windowMs ?? 60_000;
    this.maxClients = options.maxClients ?? RATE_LIMIT_MAX_CLIENTS;
  }

  /** Counts this call; null when it is allowed, else the seconds to wait (Retry-After). */
  admit(client: string, now = Date.now()): number | null {
    if (this.limit <= 0) return null;
    return this.charge(client, now) <= this.limit ? null : this.retryAfter(now);
  }

  /** Counts a call against the client without deciding anything; returns the new count. */
  charge(client: string, now = Date.now()): number {
    if (this.limit <= 0) return 0;
    this.roll(now);
    const key = client.slice(0, MAX_KEY_LENGTH);
    const count = (this.counts.get(key) ?? 0) + 1;
    if (count === 1 && this.counts.size >= this.maxClients) {
      // Maps iterate in insertion order: the first entry is the oldest client of this window.
      this.counts.delete(this.counts.keys().next().value!);
    }
    this.counts.set(key, count);
    return count;
  }

  /** Whether the client has used up this window, without counting a call. */
  exhausted(client: string, now = Date.now()): boolean {
    if (this.limit <= 0) return false;
    this.roll(now);
    return (this.counts.get(client.slice(0, MAX_KEY_LENGTH)) ?? 0) >= this.limit;
  }

  /** Seconds until the current window ends (for Retry-After). */
  retryAfter(now = Date.now()): number {
    return Math.max(1, Math.ceil((this.windowStart + this.windowMs - now) / 1000));
  }

  get size(): number {
    return this.counts.size;
  }

  private roll(now: number): void {
    if (now - this.windowStart >= this.windowMs) {
      this.windowStart = now;
      this.counts.clear();
    }
  }
}
