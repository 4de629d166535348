// Keyward's Prometheus metrics: one registry per process, scraped at GET /metrics (server/
// metrics-endpoint.ts). Low in the tree on purpose: domain code (verification, limits, sign-in,
// webhooks) records here, and gauges that belong to a domain (the key cache, the sweep's runs)
// are read through sources the domain provides at start-up, so this module imports nothing of
// theirs. Kept on globalThis, like lib/process/lifecycle.ts: Keyward's server is loaded by Node
// and the routes by Next's bundler, and both must record into, and serve, one registry.
//
// Recording is off when nobody can scrape (neither METRICS_TOKEN nor METRICS_PORT is set): the
// verify hot path then pays one boolean test. When on, a verification costs two array
// increments and a bucket search over a dozen numbers: no label objects, no strings.
import client from "prom-client";

export const VERIFY_PATHS = ["fast", "next"] as const;
export type VerifyPath = (typeof VERIFY_PATHS)[number];

/**
 * What a verification answered: the verdict's code for a 200 answer (valid or not), else
 * `refused` for a 4xx problem (bad body, no token, the caller's rate limit) or `error` for a
 * 5xx (database unreachable, a fault).
 */
export const VERIFY_OUTCOMES = [
  "VALID",
  "NOT_FOUND",
  "MALFORMED",
  "EXPIRED",
  "REVOKED",
  "INSUFFICIENT_SCOPE",
  "IP_REQUIRED",
  "IP_NOT_ALLOWED",
  "USAGE_EXCEEDED",
  "RATE_LIMITED",
  "refused",
  "error",
] as const;
export type VerifyOutcome = (typeof VERIFY_OUTCOMES)[number];
const OUTCOME_INDEX: Record<string, number> = Object.fromEntries(VERIFY_OUTCOMES.map((o, i) => [o, i]));

/** Verify latency buckets, in seconds: a cache hit answers in well under a millisecond. */
export const VERIFY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] as const;

/**
 * Why a request was refused for its rate: the budget it ran out of (verify_client: a client's
 * VERIFY_RATE_LIMIT; verify_misses: its VERIFY_MISS_LIMIT; verify_token: a verifier token's;
 * key: a key's own rate limit; api: a public route's per-client limit; password_reset). Locked
 * sign-ins have a metric of their own.
 */
export const RATE_LIMIT_KINDS = [
  "verify_client",
  "verify_misses",
  "verify_token",
  "key",
  "api",
  "password_reset",
] as const;
export type RateLimitKind = (typeof RATE_LIMIT_KINDS)[number];

export const WEBHOOK_RESULTS = ["succeeded", "failed", "gave_up", "not_sent"] as const;
export type WebhookResult = (typeof WEBHOOK_RESULTS)[number];

/** What the key store knows of its caches (lib/keys/key-store.ts provides it). */
export interface KeyCacheFigures {
  size: number;
  negativeSize: number;
  hits: number;
  misses: number;
  /** The LISTEN connection for cache invalidation: null when not used (KEY_CACHE_SYNC=local, cache off). */
  listening: boolean | null;
}

/** Figures read from the database at scrape time (lib/metrics/database-figures.ts reads them). */
export interface DatabaseFigures {
  sweep: {
    lastSuccessAt: Date | null;
    lastDurationSeconds: number | null;
    /** Keys the last finished run left due (its time budget ran out); 0 when it finished all. */
    backlog: number;
    /** The last successful run's counts, by step. */
    steps: Record<string, number>;
  };
  /** Emails still to send (queued, sending, or failed with attempts left); those that used up their attempts; how overdue the oldest is. */
  emails: { pending: number; failed: number; oldestDueSeconds: number };
  webhooks: { pending: number; failing: number; oldestDueSeconds: number };
}

export interface MetricSources {
  keyCache?: () => KeyCacheFigures;
  usage?: () => { pending: number };
  database?: () => Promise<DatabaseFigures>;
}

interface State {
  on: boolean;
  registry: client.Registry;
  /** Verifications by [path][outcome], flat. */
  verifyCounts: Float64Array;
  /** Verify latency: non-cumulative bucket counts by [path][bucket], the last bucket being +Inf. */
  verifyBuckets: Float64Array;
  verifySums: Float64Array;
  sources: MetricSources;
  rateLimited: client.Counter<"kind">;
  signInFailures: client.Counter;
  signInLockouts: client.Counter;
  usageFlushFailures: client.Counter;
  webhookDeliveries: client.Counter<"result">;
}

const KEY = Symbol.for("keyward.metrics");

/** Whether this process records and serves metrics: someone may scrape them. */
export function metricsWanted(source: Record<string, string | undefined> = process.env): boolean {
  return Boolean(source.METRICS_TOKEN?.trim() || source.METRICS_PORT?.trim());
}

function state(): State {
  const holder = globalThis as { [KEY]?: State };
  return (holder[KEY] ??= createState(metricsWanted()));
}

function createState(on: boolean): State {
  const registry = new client.Registry();
  const paths = VERIFY_PATHS.length;
  const buckets = VERIFY_BUCKETS.length + 1;
  const made: State = {
    on,
    registry,
    verifyCounts: new Float64Array(paths * VERIFY_OUTCOMES.length),
    verifyBuckets: new Float64Array(paths * buckets),
    verifySums: new Float64Array(paths),
    sources: {},
    rateLimited: new client.Counter({
      name: "keyward_rate_limited_total",
      help: "Requests refused for their rate, by the budget they ran out of",
      labelNames: ["kind"],
      registers: [registry],
    }),
    signInFailures: new client.Counter({
      name: "keyward_sign_in_failures_total",
      help: "Password sign-ins refused for a wrong email or password",
      registers: [registry],
    }),
    signInLockouts: new client.Counter({
      name: "keyward_sign_in_lockouts_total",
      help: "Password sign-ins refused unchecked because the account or client is throttled or locked",
      registers: [registry],
    }),
    usageFlushFailures: new client.Counter({
      name: "keyward_usage_flush_failures_total",
      help: "Usage buffer flushes that failed (the counts are kept and retried)",
      registers: [registry],
    }),
    webhookDeliveries: new client.Counter({
      name: "keyward_webhook_deliveries_total",
      help: "Webhook delivery attempts by result",
      labelNames: ["result"],
      registers: [registry],
    }),
  };
  for (const kind of RATE_LIMIT_KINDS) made.rateLimited.inc({ kind }, 0);
  for (const result of WEBHOOK_RESULTS) made.webhookDeliveries.inc({ result }, 0);
  registerVerifyMetrics(made);
  registerSourceMetrics(made);
  client.collectDefaultMetrics({ register: registry, prefix: "keyward_", eventLoopMonitoringPrecision: 20 });
  return made;
}

/**
 * Counts one answer of the verify route and its time, in seconds. `outcome` is the verdict's
 * code for a 200 answer, or `refused` / `error`; an unknown code counts as `error`.
 */
export function recordVerify(path: VerifyPath, outcome: string, seconds: number): void {
  const s = state();
  if (!s.on) return;
  const p = path === "fast" ? 0 : 1;
  s.verifyCounts[p * VERIFY_OUTCOMES.length + (OUTCOME_INDEX[outcome] ?? OUTCOME_INDEX.error!)]! += 1;
  let bucket = 0;
  while (bucket < VERIFY_BUCKETS.length && seconds > VERIFY_BUCKETS[bucket]!) bucket++;
  s.verifyBuckets[p * (VERIFY_BUCKETS.length + 1) + bucket]! += 1;
  s.verifySums[p]! += seconds;
}

/** The outcome label of a verify answer, from its status and (for a 200) the verdict's code. */
export function verifyOutcomeOf(status: number, code: string | undefined): string {
  if (status === 200 && code !== undefined) return code;
  return status >= 500 ? "error" : "refused";
}

export function countRateLimited(kind: RateLimitKind): void {
  const s = state();
  if (s.on) s.rateLimited.inc({ kind });
}

export function countSignInFailure(): void {
  const s = state();
  if (s.on) s.signInFailures.inc();
}

export function countSignInLockout(): void {
  const s = state();
  if (s.on) s.signInLockouts.inc();
}

export function countUsageFlushFailure(): void {
  const s = state();
  if (s.on) s.usageFlushFailures.inc();
}

export function countWebhookDelivery(result: WebhookResult): void {
  const s = state();
  if (s.on) s.webhookDeliveries.inc({ result });
}

/** Hands the registry a domain's figures, read at each scrape (later calls replace earlier ones). */
export function provideMetricSources(sources: MetricSources): void {
  Object.assign(state().sources, sources);
}

export function metricsOn(): boolean {
  return state().on;
}

/** The registry, for the endpoint and for tests that check what exists in it. */
export function metricsRegistry(): client.Registry {
  return state().registry;
}

/** Every metric family name the endpoint can show (histograms and counters as Prometheus names their series). */
export function metricNames(): string[] {
  return state()
    .registry.getMetricsAsArray()
    .map((m) => m.name);
}

const VERIFY_DURATION_HELP = "Time the verify route takes inside the app (admission, body, verdict), by way in";

function registerVerifyMetrics(s: State): void {
  const outcomes = VERIFY_OUTCOMES.length;
  const buckets = VERIFY_BUCKETS.length + 1;
  new client.Counter({
    name: "keyward_verifications_total",
    help: "Answers of the verify route, by outcome and by the way in (fast: Keyward's server; next: Next's router)",
    labelNames: ["outcome", "path"],
    registers: [s.registry],
    collect() {
      this.reset();
      for (let p = 0; p < VERIFY_PATHS.length; p++) {
        for (let o = 0; o < outcomes; o++) {
          this.inc({ outcome: VERIFY_OUTCOMES[o]!, path: VERIFY_PATHS[p]! }, s.verifyCounts[p * outcomes + o]!);
        }
      }
    },
  });
  // A histogram whose observations were made in the arrays above: the registry only formats it.
  s.registry.registerMetric({
    name: "keyward_verify_duration_seconds",
    help: VERIFY_DURATION_HELP,
    type: "histogram",
    aggregator: "sum",
    async get() {
      const values: { labels: Record<string, string | number>; value: number; metricName: string }[] = [];
      for (let p = 0; p < VERIFY_PATHS.length; p++) {
        const path = VERIFY_PATHS[p]!;
        let cumulative = 0;
        for (let b = 0; b < buckets; b++) {
          cumulative += s.verifyBuckets[p * buckets + b]!;
          const le = b < VERIFY_BUCKETS.length ? VERIFY_BUCKETS[b]! : "+Inf";
          values.push({
            labels: { path, le },
            value: cumulative,
            metricName: "keyward_verify_duration_seconds_bucket",
          });
        }
        values.push({ labels: { path }, value: s.verifySums[p]!, metricName: "keyward_verify_duration_seconds_sum" });
        values.push({ labels: { path }, value: cumulative, metricName: "keyward_verify_duration_seconds_count" });
      }
      return {
        name: "keyward_verify_duration_seconds",
        help: VERIFY_DURATION_HELP,
        type: "histogram",
        values,
        aggregator: "sum",
      };
    },
  } as unknown as client.Metric);
}

/** Gauges (and counters kept by their domain) read from the sources at each scrape. */
function registerSourceMetrics(s: State): void {
  const r = [s.registry];
  const cache = () => s.sources.keyCache?.();
  new client.Gauge({
    name: "keyward_key_cache_entries",
    help: "Known keys held in the in-process key cache",
    registers: r,
    collect() {
      const c = cache();
      if (c) this.set(c.size);
    },
  });
  new client.Gauge({
    name: "keyward_key_cache_negative_entries",
    help: "Unknown keys remembered in the in-process key cache",
    registers: r,
    collect() {
      const c = cache();
      if (c) this.set(c.negativeSize);
    },
  });
  new client.Counter({
    name: "keyward_key_cache_lookups_total",
    help: "Key cache lookups by result (hit ratio: rate of hit over rate of all)",
    labelNames: ["result"],
    registers: r,
    collect() {
      const c = cache();
      this.reset();
      this.inc({ result: "hit" }, c?.hits ?? 0);
      this.inc({ result: "miss" }, c?.misses ?? 0);
    },
  });
  new client.Gauge({
    name: "keyward_listen_up",
    help: "1 while the LISTEN connection for key cache invalidation is connected, 0 while not (absent when KEY_CACHE_SYNC=local or the cache is off)",
    registers: r,
    collect() {
      this.reset();
      const listening = cache()?.listening;
      if (listening !== null && listening !== undefined) this.set(listening ? 1 : 0);
    },
  });
  new client.Gauge({
    name: "keyward_usage_buffer_pending",
    help: "Keys whose usage counts wait in memory for the next flush",
    registers: r,
    collect() {
      const u = s.sources.usage?.();
      if (u) this.set(u.pending);
    },
  });

  // Read from the database once per scrape, shared by the gauges below: a scrape collects every
  // metric in one synchronous pass, so they all join the read in flight; the next scrape reads afresh.
  let reading: Promise<DatabaseFigures | null> | null = null;
  const figures = (): Promise<DatabaseFigures | null> => {
    const read = s.sources.database;
    if (!read) return Promise.resolve(null);
    if (!reading) {
      const current = read().catch(() => null);
      reading = current;
      void current.then(() => {
        if (reading === current) reading = null;
      });
    }
    return reading;
  };
  const fromDatabase = <N extends string>(
    config: { name: string; help: string; labelNames?: N[] },
    fill: (gauge: client.Gauge<N>, f: DatabaseFigures) => void,
  ) =>
    new client.Gauge<N>({
      ...config,
      registers: r,
      async collect() {
        this.reset();
        const f = await figures();
        if (f) fill(this, f);
      },
    });
  new client.Gauge({
    name: "keyward_database_figures_up",
    help: "1 when this scrape could read the database-backed figures (sweep, outbox, webhooks), else 0",
    registers: r,
    async collect() {
      this.set((await figures()) ? 1 : 0);
    },
  });
  fromDatabase(
    {
      name: "keyward_sweep_last_success_timestamp_seconds",
      help: "When the last successful sweep finished (Unix time; 0 when none ever did)",
    },
    (g, f) => {
      if (f.sweep.lastSuccessAt) g.set(f.sweep.lastSuccessAt.getTime() / 1000);
    },
  );
  fromDatabase(
    {
      name: "keyward_sweep_last_duration_seconds",
      help: "How long the last successful sweep ran (0 when none ever did)",
    },
    (g, f) => {
      if (f.sweep.lastDurationSeconds !== null) g.set(f.sweep.lastDurationSeconds);
    },
  );
  fromDatabase(
    {
      name: "keyward_sweep_backlog_keys",
      help: "Keys the last finished sweep left due when its time budget ran out (0: it finished)",
    },
    (g, f) => g.set(f.sweep.backlog),
  );
  fromDatabase(
    {
      name: "keyward_sweep_last_step_count",
      help: "What the last successful sweep did, by step",
      labelNames: ["step"],
    },
    (g, f) => {
      for (const [step, count] of Object.entries(f.sweep.steps)) g.set({ step }, count);
    },
  );
  fromDatabase(
    {
      name: "keyward_outbox_emails",
      help: "Emails in the outbox by state (pending: still to send, retries included; failed: out of attempts)",
      labelNames: ["state"],
    },
    (g, f) => {
      g.set({ state: "pending" }, f.emails.pending);
      g.set({ state: "failed" }, f.emails.failed);
    },
  );
  fromDatabase(
    {
      name: "keyward_outbox_oldest_due_seconds",
      help: "How long the most overdue email still to send has been due (0: none overdue)",
    },
    (g, f) => g.set(f.emails.oldestDueSeconds),
  );
  fromDatabase(
    {
      name: "keyward_webhook_backlog",
      help: "Webhook deliveries not made yet, by state (pending: never tried; failing: to be retried)",
      labelNames: ["state"],
    },
    (g, f) => {
      g.set({ state: "pending" }, f.webhooks.pending);
      g.set({ state: "failing" }, f.webhooks.failing);
    },
  );
  fromDatabase(
    {
      name: "keyward_webhook_oldest_due_seconds",
      help: "How long the most overdue webhook delivery has been due (0: none overdue)",
    },
    (g, f) => g.set(f.webhooks.oldestDueSeconds),
  );
}
