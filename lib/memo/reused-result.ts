// A result reused for a short while: for site-wide overviews (the admin's expiry chart, the usage
// overview) whose query reads a large part of a table, and whose figures a minute old say the
// same thing. Concurrent callers share one query; a failed one is not kept; a few entries at most.
// With `slowerThanMs`, only a result that took at least that long to load is kept: a small site
// always sees fresh figures, a large one pays for the query once a minute.

export class ReusedResult<T> {
  private entries = new Map<string, { until: number; value: Promise<T> }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 16,
    private readonly slowerThanMs = 0,
  ) {}

  get(key: string, load: () => Promise<T>, now = Date.now()): Promise<T> {
    const kept = this.entries.get(key);
    if (kept && kept.until > now) return kept.value;
    if (!kept && this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    const started = performance.now();
    const value = load();
    const entry = { until: now + this.ttlMs, value };
    this.entries.set(key, entry);
    const forget = () => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    };
    value.then(() => {
      if (performance.now() - started < this.slowerThanMs) forget();
    }, forget);
    return value;
  }

  get size(): number {
    return this.entries.size;
  }
}
