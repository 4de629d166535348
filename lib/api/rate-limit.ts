// A fixed-window counter per client, in memory. Each instance limits on its own, which is
// what a per-IP abuse guard needs; it is not a billing quota.
export class RateLimiter {
  private windowStart = 0;
  private counts = new Map<string, number>();

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
  ) {}

  /** true when this call is allowed. A limit of 0 means unlimited. */
  allow(client: string, now = Date.now()): boolean {
    if (this.limit <= 0) return true;
    if (now - this.windowStart >= this.windowMs) {
      this.windowStart = now;
      this.counts.clear();
    }
    const count = (this.counts.get(client) ?? 0) + 1;
    this.counts.set(client, count);
    return count <= this.limit;
  }

  /** Seconds until the current window ends (for Retry-After). */
  retryAfter(now = Date.now()): number {
    return Math.max(1, Math.ceil((this.windowStart + this.windowMs - now) / 1000));
  }
}
