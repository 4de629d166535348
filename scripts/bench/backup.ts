// npm run bench:backup – npm run db:backup and db:restore of the embedded database at N keys
// (default 100,000 over 1,000 owners, in mixed states, plus their audit events), the backup taken
// beside a serving Keyward under verify load, as an operator would take it:
// - backup: the command's wall time (it connects through the server's socket) and its file size;
//   verify latency before and during the backup (PGlite runs one transaction at a time, so
//   requests that need the database wait for the backup's snapshot; cached keys do not);
// - restore: the command's wall time into a fresh folder (create the database, the backup's
//   migrations, the rows);
// - every table's row count equal afterwards, and the known keys answer as before from a server
//   on the restored folder.
// Flags: --keys=N, --smoke (2,000 keys: CI checks it still runs).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "../../lib/db/embedded";
import { applyMigrations } from "../../prisma/tools/engine";
import {
  flag,
  machine,
  onInterrupt,
  percentile,
  root,
  runBench,
  seedKeys,
  smoke,
  startBenchApp,
  verdict,
  type KnownKey,
} from "./lib";

async function tableCounts(url: string): Promise<Record<string, number>> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const tables = (
      await db.query<{ t: string }>(
        `SELECT tablename AS t FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1`,
      )
    ).rows.map((r) => r.t);
    const counts: Record<string, number> = {};
    for (const t of tables)
      counts[t] = Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM "${t}"`)).rows[0]!.n);
    return counts;
  } finally {
    await db.end();
  }
}

function npmRun(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; out: string; ms: number }> {
  const started = performance.now();
  const child = spawn("npm", ["run", "--silent", script, "--", ...args], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr.on("data", (c: Buffer) => (out += c.toString()));
  return new Promise((done) => child.once("exit", (code) => done({ code, out, ms: performance.now() - started })));
}

/** Verifies the working keys in a loop until stopped; each answer's latency in ms. */
function verifyLoop(url: string, keys: KnownKey[]) {
  const latencies: number[] = [];
  let errors = 0;
  let running = true;
  const loops = Array.from({ length: 4 }, async (_, n) => {
    for (let i = n; running; i++) {
      const key = keys[i % keys.length]!;
      const t = performance.now();
      const response = await fetch(`${url}/api/v1/keys/verify`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ key: key.plaintext }),
      }).catch(() => null);
      const body = response ? ((await response.json()) as { code?: string }) : {};
      if (body.code !== key.expected) errors++;
      latencies.push(performance.now() - t);
    }
  });
  return {
    latencies,
    errors: () => errors,
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}

const ms = (values: number[]) =>
  `p50 ${percentile(values, 50).toFixed(1)} ms, p99 ${percentile(values, 99).toFixed(1)} ms, max ${Math.max(0, ...values).toFixed(0)} ms (${values.length} answers)`;

async function main(): Promise<number> {
  const total = flag("keys", smoke ? 2_000 : 100_000);
  console.log(`bench:backup on ${machine()}: ${total} keys, embedded database`);
  const work = mkdtempSync(join(tmpdir(), "keyward-bench-backup-"));
  const file = join(work, "keyward.backup");
  let embedded: EmbeddedDatabase | null = null;
  let stopApp: (() => Promise<void>) | null = null;
  onInterrupt(async () => rmSync(work, { recursive: true, force: true }));
  try {
    const source = join(work, "source");
    embedded = await startEmbeddedDatabase({ dataDir: join(source, "pglite") });
    await applyMigrations(embedded.url);
    const t0 = performance.now();
    const { keys } = await seedKeys(embedded.url, { total, users: Math.max(10, Math.round(total / 100)), known: 20 });
    const db = new pg.Client({ connectionString: embedded.url });
    await db.connect();
    await db.query(
      `INSERT INTO "AuditEvent" (id, "actorLabel", action, "keyId", detail) SELECT gen_random_uuid()::text, 'bench', 'key.issued', id, jsonb_build_object('name', name) FROM "ApiKey"`,
    );
    await db.end();
    console.log(`seeded ${total} keys and their audit events in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    // A Keyward serving that database (the bench holds it, as npm start does), under verify load.
    // The key cache is off: every answer needs the database, the case the backup delays most.
    // Usage is written only when it stops, so the backup's snapshot is the state counted below.
    const app = await startBenchApp(embedded.url, "bench-backup-server", {
      KEY_CACHE_SYNC: "local",
      KEY_CACHE_TTL_MS: "0",
      DATABASE_POOL_SIZE: "5",
      USAGE_FLUSH_INTERVAL_MS: "600000",
    });
    stopApp = () => app.stop();
    const load = verifyLoop(
      app.url,
      keys.filter((k) => k.expected !== "MALFORMED"),
    );
    await new Promise((r) => setTimeout(r, 3000));
    const quiet = [...load.latencies];
    const mark = load.latencies.length;
    const { DATABASE_URL: _unset, ...inherited } = process.env;
    const env: NodeJS.ProcessEnv = { ...inherited, KEYWARD_DATA_DIR: source };
    const backup = await npmRun("db:backup", [file], env);
    const during = load.latencies.slice(mark);
    await load.stop();
    // What the backup saw: nothing is written meanwhile (usage is flushed only when the server stops).
    const before = await tableCounts(embedded.url);
    await app.stop();
    stopApp = null;
    await embedded.close();
    embedded = null;
    if (backup.code !== 0) throw new Error(`db:backup failed:\n${backup.out}`);
    const size = statSync(file).size;

    const restoredDir = join(work, "restored");
    const restore = await npmRun("db:restore", [file], { ...env, KEYWARD_DATA_DIR: restoredDir });
    if (restore.code !== 0) throw new Error(`db:restore failed:\n${restore.out}`);

    embedded = await startEmbeddedDatabase({ dataDir: join(restoredDir, "pglite") });
    const after = await tableCounts(embedded.url);
    const again = await startBenchApp(embedded.url, "bench-backup-restored", { KEY_CACHE_SYNC: "local" });
    stopApp = () => again.stop();
    let same = 0;
    for (const key of keys) {
      const response = await fetch(`${again.url}/api/v1/keys/verify`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ key: key.plaintext }),
      });
      const body = (await response.json()) as { code?: string; keyId?: string };
      if (body.code === key.expected && (key.id === "" || body.keyId === key.id)) same++;
    }

    console.log(
      `\nbackup (npm run db:backup, server serving)   ${(backup.ms / 1000).toFixed(1)} s, ${(size / 1024 / 1024).toFixed(1)} MiB  — ${backup.out.trim()}`,
    );
    console.log(
      `restore (npm run db:restore, fresh folder)  ${(restore.ms / 1000).toFixed(1)} s  — ${restore.out.trim().split("\n").join(" ")}`,
    );
    console.log(`verify before the backup   ${ms(quiet)}`);
    console.log(`verify during the backup   ${ms(during)}`);
    const countsEqual = JSON.stringify(after) === JSON.stringify(before);
    console.log(
      verdict(
        countsEqual,
        `every table's row count restored (${Object.values(after).reduce((a, b) => a + b, 0)} rows in ${Object.keys(after).length} tables)`,
      ),
    );
    console.log(verdict(same === keys.length, `every known key answers as before (${same} of ${keys.length})`));
    console.log(
      verdict(
        load.errors() === 0,
        `no verification failed or changed its answer while the backup ran (${load.errors()} did)`,
      ),
    );
    return countsEqual && same === keys.length && load.errors() === 0 ? 0 : 1;
  } finally {
    await stopApp?.();
    await embedded?.close();
    rmSync(work, { recursive: true, force: true });
  }
}

runBench(main);
