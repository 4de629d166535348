// npm run bench:export – the audit export over HTTP on N events (default 1,000,000, inserted with
// generate_series): rows per second, and the server's resident memory before, at its peak during
// the download (sampled every 50 ms from /proc) and after. Streaming in batches should keep the
// peak flat whatever N is: the check is a fixed bound (MAX_GROWTH_MIB), not a share of N, so the
// same verdict at --events=200000 and at 1,000,000 is what "bounded memory" means.
// Flags: --events=N, --format=csv|jsonl, --smoke (20,000 events: CI checks it still runs).
import { readFileSync } from "node:fs";
import pg from "pg";
import { signIn } from "../../test-support/http";
import { hashPassword } from "../../lib/auth/password";
import { benchDatabase, flag, machine, runBench, smoke, startBenchApp, verdict } from "./lib";

async function loadEvents(url: string, n: number, password: string): Promise<string> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const email = "bench-admin@bench.test";
  await db.query(
    `INSERT INTO "User" (id, email, name, "passwordHash", role, "emailVerifiedAt") VALUES (gen_random_uuid()::text, $1, 'Bench admin', $2, 'ADMIN', now())`,
    [email, await hashPassword(password)],
  );
  // A year of events with a realistic mix: labels, actions, ips, small JSON details, and a few
  // cells a spreadsheet would take for formulas.
  await db.query(
    `INSERT INTO "AuditEvent" (id, at, "actorId", "actorLabel", action, "keyId", ip, detail)
     SELECT gen_random_uuid()::text, now() - interval '365 days' + i * interval '31 seconds' / 1000, NULL,
            CASE WHEN i % 50 = 0 THEN '=cmd-' || i ELSE 'user-' || (i % 997) || '@bench.test' END,
            (ARRAY['key.issued','key.revoked','key.rotated','auth.signed_in','auth.sign_in_failed'])[1 + i % 5],
            md5(i::text), '10.' || (i % 250) || '.' || (i % 200) || '.1', jsonb_build_object('i', i, 'note', 'bench, "quoted"')
     FROM generate_series(1, $1) i`,
    [n],
  );
  await db.query("VACUUM ANALYZE");
  await db.end();
  return email;
}

async function countEvents(url: string): Promise<number> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const { rows } = await db.query<{ n: string }>(`SELECT count(*) AS n FROM "AuditEvent"`);
  await db.end();
  return Number(rows[0]!.n);
}

function rssKiB(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const field = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: field("VmRSS"), hwm: field("VmHWM") };
}

const mib = (kib: number) => `${(kib / 1024).toFixed(0)} MiB`;

/** The most the server's RSS may grow during the export, whatever N is. */
const MAX_GROWTH_MIB = 64;

async function main(): Promise<number> {
  const n = flag("events", smoke ? 20_000 : 1_000_000);
  const format = process.argv.find((a) => a.startsWith("--format="))?.split("=")[1] ?? "csv";
  console.log(`bench:export on ${machine()}: ${n} audit events, ${format}`);
  const db = await benchDatabase();
  let stopApp: (() => Promise<void>) | null = null;
  try {
    const password = "bench-password-1";
    const t0 = performance.now();
    const email = await loadEvents(db.url, n, password);
    console.log(`inserted ${n} events in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const app = await startBenchApp(db.url, "bench-export-server");
    stopApp = () => app.stop();
    const pid = app.child.pid!;
    const admin = await signIn(email, password, app.url);
    // Warm the route (first request compiles and connects), then measure from a settled baseline.
    await (
      await admin.request("GET", `/api/v1/admin/audit/export?format=${format}&from=2000-01-01&to=2000-01-02`)
    ).text();
    const before = rssKiB(pid).rss;

    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, rssKiB(pid).rss)), 50);
    const started = performance.now();
    const response = await admin.request("GET", `/api/v1/admin/audit/export?format=${format}`);
    if (response.status !== 200 || !response.body) throw new Error(`export answered ${response.status}`);
    let bytes = 0;
    let lines = 0;
    let defused = 0;
    let carry = "";
    const decoder = new TextDecoder();
    const reader = response.body.getReader();
    for (;;) {
      const { done, value: chunk } = await reader.read();
      if (done) break;
      bytes += chunk.byteLength;
      const text = decoder.decode(chunk, { stream: true });
      for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) lines += 1;
      // Count on whole lines: a marker may straddle two chunks.
      const whole = carry + text;
      const cut = whole.lastIndexOf("\n") + 1;
      defused += whole.slice(0, cut).split(",'=cmd-").length - 1;
      carry = whole.slice(cut);
    }
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const after = rssKiB(pid);
    const rows = lines - (format === "csv" ? 1 : 0);
    // Besides the n events the log holds the admin's sign-in and the exports' own records.
    const expected = await countEvents(db.url);
    console.log(
      `\nexported rows              ${rows} (${(bytes / 1024 / 1024).toFixed(1)} MiB) in ${seconds.toFixed(1)} s`,
    );
    console.log(
      `throughput                 ${(rows / seconds).toFixed(0)} rows/s, ${(bytes / 1024 / 1024 / seconds).toFixed(1)} MiB/s`,
    );
    console.log(
      `server RSS before / peak   ${mib(before)} / ${mib(peak)}  (+${mib(peak - before)}; after ${mib(after.rss)}, VmHWM since start ${mib(after.hwm)})`,
    );
    const complete = rows === expected && rows >= n;
    console.log(verdict(complete, `every event exported once (${rows} of ${expected})`));
    if (format === "csv")
      console.log(verdict(defused === Math.floor(n / 50), `formula-like cells defused (${defused})`));
    const bounded = peak - before <= MAX_GROWTH_MIB * 1024;
    console.log(
      verdict(
        bounded,
        `server RSS grew by at most ${MAX_GROWTH_MIB} MiB during the export (+${mib(peak - before)}), a bound that does not depend on N`,
      ),
    );
    return complete && (smoke || bounded) ? 0 : 1;
  } finally {
    await stopApp?.();
    await db.drop();
  }
}

runBench(main);
