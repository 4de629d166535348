// Shared pieces of the benchmarks: a fresh PostgreSQL database, bulk data, autocannon runs and
// a results table. Benchmarks print ratios measured in one run on one machine, never absolute
// claims: the load generator shares the cores with the server.
import { randomBytes } from "node:crypto";
import { cpus } from "node:os";
import autocannon from "autocannon";
import pg from "pg";
import { resolve } from "node:path";
import { applyMigrations } from "../../prisma/tools/engine";
import { generateKey, TOKEN_PREFIX } from "../../lib/keys/format";
import { startAppServer, type AppServer } from "../../server/app-server";
import { buildIfNeeded } from "../lib/build";
import { freePort } from "../../server/free-port";

export const root = resolve(import.meta.dirname, "../..");

/**
 * What an interrupted benchmark must still undo, in the order registered: the database first
 * (DROP … WITH (FORCE) is quick and ends the servers' connections), then the servers.
 */
const cleanups: (() => Promise<void>)[] = [];

export function onInterrupt(cleanup: () => Promise<void>): void {
  cleanups.push(cleanup);
}

export interface BenchDatabase {
  url: string;
  drop(): Promise<void>;
  /**
   * A copy of this database as it is now (CREATE DATABASE … TEMPLATE: nobody may be connected to
   * it meanwhile), for a comparison that must start from the same data; dropped like this one.
   */
  copy(): Promise<BenchDatabase>;
}

const adminUrl = () =>
  process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

async function createDatabase(template?: string): Promise<BenchDatabase> {
  const admin = adminUrl();
  const name = `keyward_bench_${Date.now()}_${randomBytes(3).toString("hex")}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ""}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const database: BenchDatabase = {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
    copy: () => createDatabase(name),
  };
  onInterrupt(() => database.drop());
  return database;
}

/** A new database on BENCH_DATABASE_URL's server (default: the local PostgreSQL), migrated. */
export async function benchDatabase(): Promise<BenchDatabase> {
  const database = await createDatabase();
  await applyMigrations(database.url);
  return database;
}

export interface KnownKey {
  plaintext: string;
  id: string;
  expected: "VALID" | "EXPIRED" | "REVOKED" | "NOT_FOUND" | "MALFORMED";
}

/**
 * `total` keys over `users` owners, in mixed states, written with set-based SQL. Filler keys get
 * random hashes (nobody can present them); `known` keys of each state are generated for real,
 * so their plaintexts can be verified.
 */
export async function seedKeys(
  url: string,
  {
    total,
    users,
    known,
    ownerEmailPrefix = "bench",
  }: { total: number; users: number; known: number; ownerEmailPrefix?: string },
): Promise<{ keys: KnownKey[]; userIds: string[] }> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const { rows: userRows } = await db.query<{ id: string }>(
      `INSERT INTO "User" (id, email, name, "passwordHash", role, "emailVerifiedAt")
       SELECT gen_random_uuid()::text, '${ownerEmailPrefix}-' || i || '@bench.test', 'Bench ' || i, NULL, 'USER', now()
       FROM generate_series(1, $1) i RETURNING id`,
      [users],
    );
    const userIds = userRows.map((r) => r.id);
    // Filler: 70% active (spread over the next year), 15% expired, 10% blacklisted, 5% never.
    await db.query(
      `INSERT INTO "ApiKey" (id, "userId", name, prefix, last4, hash, scopes, "createdAt", "expiresAt")
       SELECT gen_random_uuid()::text, ($2::text[])[1 + (i % array_length($2::text[], 1))], 'svc-' || i, 'kw_' || substr(md5(i::text), 1, 4),
              substr(md5(i::text), 5, 4), md5('filler' || i) || md5('filler-b' || i), ARRAY['read'],
              now() - (i % 400) * interval '1 day',
              CASE WHEN i % 20 < 14 THEN now() + (1 + i % 365) * interval '1 day'
                   WHEN i % 20 < 17 THEN now() - (1 + i % 30) * interval '1 day'
                   WHEN i % 20 < 19 THEN now() + (1 + i % 100) * interval '1 day'
                   ELSE NULL END
       FROM generate_series(1, $1) i`,
      [Math.max(0, total - known * 3), userIds],
    );
    await db.query(
      `INSERT INTO "BlacklistedKey" ("keyId", reason, "blacklistedAt", "actorLabel")
       SELECT id, 'REVOKED', now() - interval '1 day', 'bench' FROM "ApiKey"
       WHERE "expiresAt" > now() AND name LIKE 'svc-%' AND (hashtext(id) % 10) = 0`,
    );

    const keys: KnownKey[] = [];
    const states = [
      { expected: "VALID" as const, expiresAt: "now() + interval '30 days'", blacklist: false },
      { expected: "EXPIRED" as const, expiresAt: "now() - interval '1 hour'", blacklist: false },
      { expected: "REVOKED" as const, expiresAt: "now() + interval '30 days'", blacklist: true },
    ];
    for (const state of states) {
      const generated = Array.from({ length: known }, () => generateKey("kw"));
      const { rows } = await db.query<{ id: string; hash: string }>(
        `INSERT INTO "ApiKey" (id, "userId", name, prefix, last4, hash, scopes, "expiresAt")
         SELECT gen_random_uuid()::text, $1, 'known-' || h.ord, substr(p, 1, 7), right(p, 4), h.hash, ARRAY['read'], ${state.expiresAt}
         FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS h(hash, p, ord)
         RETURNING id, hash`,
        [userIds[0], generated.map((g) => g.hash), generated.map((g) => g.plaintext.slice(0, 7) + g.last4)],
      );
      const idByHash = new Map(rows.map((r) => [r.hash, r.id]));
      if (state.blacklist) {
        await db.query(
          `INSERT INTO "BlacklistedKey" ("keyId", reason, "actorLabel") SELECT unnest($1::text[]), 'LEAKED', 'bench'`,
          [rows.map((r) => r.id)],
        );
      }
      for (const g of generated)
        keys.push({ plaintext: g.plaintext, id: idByHash.get(g.hash)!, expected: state.expected });
    }
    for (let i = 0; i < known; i++)
      keys.push({ plaintext: generateKey("kw").plaintext, id: "", expected: "NOT_FOUND" });
    for (let i = 0; i < known; i++)
      keys.push({ plaintext: `kw_${randomBytes(27).toString("base64url")}`, id: "", expected: "MALFORMED" });
    await db.query("ANALYZE");
    return { keys, userIds };
  } finally {
    await db.end();
  }
}

/**
 * `total` VALID keys spread over `owners` new owners, generated for real (their plaintexts are
 * returned), for runs that must present each key once: the cold-cache path.
 */
export async function seedValidKeys(
  url: string,
  { total, owners }: { total: number; owners: number },
): Promise<string[]> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO "User" (id, email, name, role, "emailVerifiedAt")
       SELECT gen_random_uuid()::text, 'cold-' || i || '@bench.test', 'Cold ' || i, 'USER', now()
       FROM generate_series(1, $1) i RETURNING id`,
      [owners],
    );
    const ownerIds = rows.map((r) => r.id);
    const plaintexts: string[] = [];
    const batch = 25_000;
    for (let done = 0; done < total; done += batch) {
      const generated = Array.from({ length: Math.min(batch, total - done) }, () => generateKey("kw"));
      await db.query(
        `INSERT INTO "ApiKey" (id, "userId", name, prefix, last4, hash, scopes, "expiresAt")
         SELECT gen_random_uuid()::text, ($4::text[])[1 + ((h.ord + $3::int) % array_length($4::text[], 1))], 'cold-' || (h.ord + $3::int), substr(p, 1, 7), right(p, 4),
                h.hash, ARRAY['read'], now() + interval '30 days'
         FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS h(hash, p, ord)`,
        [generated.map((g) => g.hash), generated.map((g) => g.plaintext.slice(0, 7) + g.last4), done, ownerIds],
      );
      for (const g of generated) plaintexts.push(g.plaintext);
    }
    await db.query("ANALYZE");
    return plaintexts;
  } finally {
    await db.end();
  }
}

/**
 * `total` VALID keys of one owner with the given limits (rate limit, allowed CIDRs), generated
 * for real: their plaintexts are returned.
 */
/**
 * An API token with the verify scope (lib/tokens), for verify runs that name an `ip` or measure
 * authenticated verification: a site admin's (it answers for every key) unless `ownerId` is given.
 */
export async function seedVerifier(url: string, ownerId?: string): Promise<string> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    let owner = ownerId;
    if (!owner) {
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO "User" (id, email, name, role, "emailVerifiedAt") VALUES (gen_random_uuid()::text, 'bench-verifier-' || gen_random_uuid()::text || '@bench.test', 'Bench verifier', 'ADMIN', now()) RETURNING id`,
      );
      owner = rows[0]!.id;
    }
    const token = generateKey(TOKEN_PREFIX);
    await db.query(
      `INSERT INTO "ApiKey" (id, kind, "userId", "issuedById", name, prefix, last4, hash, scopes, "expiresAt")
       VALUES (gen_random_uuid()::text, 'TOKEN', $1, $1, 'bench verifier', $2, $3, $4, ARRAY['verify'], now() + interval '30 days')`,
      [owner, token.displayPrefix, token.last4, token.hash],
    );
    return token.plaintext;
  } finally {
    await db.end();
  }
}

export async function seedLimitedKeys(
  url: string,
  {
    total,
    ownerId,
    rateLimit,
    allowedCidrs,
  }: {
    total: number;
    ownerId: string;
    rateLimit: { max: number; windowSeconds: number } | null;
    allowedCidrs: string[];
  },
): Promise<string[]> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const generated = Array.from({ length: total }, () => generateKey("kw"));
    await db.query(
      `INSERT INTO "ApiKey" (id, "userId", name, prefix, last4, hash, scopes, "expiresAt", "rateLimitMax", "rateLimitWindowSeconds", "allowedCidrs")
       SELECT gen_random_uuid()::text, $3, 'limited-' || h.ord, substr(p, 1, 7), right(p, 4), h.hash, ARRAY['read'], now() + interval '30 days', $4, $5, $6
       FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS h(hash, p, ord)`,
      [
        generated.map((g) => g.hash),
        generated.map((g) => g.plaintext.slice(0, 7) + g.last4),
        ownerId,
        rateLimit?.max ?? null,
        rateLimit?.windowSeconds ?? null,
        allowedCidrs,
      ],
    );
    return generated.map((g) => g.plaintext);
  } finally {
    await db.end();
  }
}

export interface LoadResult {
  label: string;
  rps: number;
  p50: number;
  p99: number;
  wrong: number;
  errors: number;
  /** Answers by code (for runs whose bodies name an expected code). */
  codes: Record<string, number>;
}

/**
 * Fires POSTs of `bodies` (round robin) at `url` with autocannon and checks every answer's
 * `code` against the expected one ("A|B": either); a wrong answer counts, and fails the benchmark.
 */
export async function load(
  label: string,
  url: string,
  bodies: { body: string; expected?: string }[],
  {
    connections = 50,
    duration = 10,
    amount,
    method = "POST",
    headers = {},
  }: {
    connections?: number;
    duration?: number;
    /** Send exactly this many requests instead of running for `duration`. */
    amount?: number;
    method?: "GET" | "POST";
    /** Sent with every request (e.g. a verifier token's Authorization). */
    headers?: Record<string, string>;
  } = {},
): Promise<LoadResult> {
  let next = 0;
  let wrong = 0;
  const firstWrong: string[] = [];
  const codes: Record<string, number> = {};
  const result = await autocannon({
    url,
    connections,
    ...(amount === undefined ? { duration } : { amount }),
    requests: [
      {
        method,
        headers: { ...(method === "POST" ? { "content-type": "application/json" } : {}), ...headers },
        setupRequest: (request, context) => {
          const item = bodies[next++ % bodies.length]!;
          (context as { expected?: string }).expected = item.expected;
          return method === "POST" ? { ...request, body: item.body } : request;
        },
        onResponse: (status, body, context) => {
          const expected = (context as { expected?: string }).expected;
          if (!expected) return;
          const code = status === 200 ? (JSON.parse(body) as { code?: string }).code : `HTTP ${status}`;
          codes[String(code)] = (codes[String(code)] ?? 0) + 1;
          if (!(expected === code || (expected.includes("|") && expected.split("|").includes(String(code))))) {
            wrong += 1;
            if (firstWrong.length < 3) firstWrong.push(`expected ${expected}, got ${code}`);
          }
        },
      },
    ],
  });
  if (firstWrong.length) console.error(`  ${label}: wrong answers, e.g. ${firstWrong.join("; ")}`);
  return {
    label,
    // A run of a set number of requests is over in moments: its per-second samples are too few
    // to average, so its rate is what it did over the time it took.
    rps: amount === undefined ? result.requests.average : result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    wrong,
    errors: result.errors + result.non2xx,
    codes,
  };
}

export function printLoadTable(results: LoadResult[]): void {
  console.log(
    `\n${"".padEnd(44)} ${"req/s".padStart(9)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)} ${"wrong".padStart(6)} ${"errors".padStart(7)}`,
  );
  for (const r of results) {
    console.log(
      `${r.label.padEnd(44)} ${r.rps.toFixed(0).padStart(9)} ${r.p50.toFixed(1).padStart(8)} ${r.p99.toFixed(1).padStart(8)} ${String(r.wrong).padStart(6)} ${String(r.errors).padStart(7)}`,
    );
  }
}

export function machine(): string {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model ?? "cpu"}, node ${process.version}`;
}

export function flag(name: string, fallback: number): number {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg ? Number(arg.split("=")[1]) : fallback;
}

export const smoke = process.argv.includes("--smoke");

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

export function verdict(ok: boolean, text: string): string {
  return `${ok ? "MET    " : "NOT MET"} ${text}`;
}

/** `next start` (built first if the sources changed) on a bench database, logging to test-results/. */
export async function startBenchApp(
  databaseUrl: string,
  name: string,
  settings: Record<string, string> = {},
): Promise<AppServer> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...settings,
    NODE_ENV: "production",
    DATABASE_URL: databaseUrl,
    // The load comes from one client: neither its request budget nor its unknown-key budget
    // (which the mixed run's NOT_FOUND keys draw on) may turn answers into 429s.
    VERIFY_RATE_LIMIT: "0",
    VERIFY_TOKEN_RATE_LIMIT: "0",
    VERIFY_MISS_LIMIT: "0",
    // The benches time pages and routes, not enrolment: the admin they sign in as has no second
    // factor, which production's default (admins) would send to Settings → Security first.
    REQUIRE_2FA: "off",
    AUTH_SECRET: "bench-secret-bench-secret-bench-secret!!",
  };
  await buildIfNeeded(root, env);
  const port = await freePort();
  const app = await startAppServer({
    root,
    port,
    env: { ...env, APP_URL: `http://127.0.0.1:${port}` },
    logFile: resolve(root, `test-results/${name}.log`),
  });
  onInterrupt(() => app.stop());
  return app;
}

/** Runs a benchmark's main and exits with its code (1 on a thrown error); Ctrl-C cleans up. */
export function runBench(main: () => Promise<number>): void {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping servers and dropping the bench database…`);
      void cleanups
        .reduce((done, cleanup) => done.then(cleanup).catch(() => undefined), Promise.resolve())
        .finally(() => process.exit(130));
    });
  }
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
