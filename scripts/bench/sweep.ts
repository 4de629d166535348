// npm run bench:sweep – the sweep on N expired keys (default 1,000,000) against one raw SQL
// statement doing the same work (blacklist every expired key, record its key.expired event and
// write its owner's notice: the sweep's own SQL, unbatched) on the same data, in one run, neither
// sharing the cores with anything else. Also: the longest batch, and, in one call made under
// verify load (10 connections), the verify route's p99 while the sweep runs versus idle. The sweep runs as cron calls it: calls with a time budget
// (SWEEP_MAX_SECONDS, default 50 s), each continuing the backlog the last one left, until one
// answers done; it reports how many calls the backlog took, and the throughput they show.
// Then the idle step (KEY_IDLE_DAYS): idle keys reminded, then disabled a day later, beside keys
// used since, whose anchors the sweep moves up; and the idle steps once nothing is due.
// Flags: --keys=N, --batch=N (SWEEP_BATCH_SIZE), --budget=S (seconds per call),
// --idle=N (idle keys, default 100,000), --smoke (5,000 keys, 2,000 idle: CI checks it still runs).
import autocannon from "autocannon";
import pg from "pg";
import type { SweepSummary } from "../../lib/sweep/run-sweep";
import { blacklistDueSql, EXPIRE_STEP } from "../../lib/sweep/sweep-steps";
import { benchDatabase, flag, load, machine, runBench, seedKeys, smoke, startBenchApp, verdict } from "./lib";

async function loadExpired(url: string, n: number): Promise<void> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  await db.query(
    `INSERT INTO "User" (id, email, name, role, "emailVerifiedAt") SELECT 'sweep-user-' || i, 'sweep-' || i || '@bench.test', 'Owner ' || i, 'USER', now() FROM generate_series(1, 1000) i`,
  );
  await db.query(
    `INSERT INTO "ApiKey" (id, "userId", name, prefix, last4, hash, scopes, "createdAt", "expiresAt")
     SELECT gen_random_uuid()::text, 'sweep-user-' || (1 + i % 1000), 'expired-' || i, 'kw_' || substr(md5(i::text), 1, 4), substr(md5(i::text), 5, 4),
            md5('x' || i) || md5('y' || i), ARRAY['read'], now() - interval '60 days', now() - (i % 43200) * interval '1 minute' - interval '1 second'
     FROM generate_series(1, $1) i`,
    [n],
  );
  await db.query("VACUUM ANALYZE");
  await db.end();
}

/**
 * Idle keys for the idle step: `n` never used, issued 100 days ago, and as many used an hour ago
 * though issued as long ago (the sweep moves their anchors up and leaves them be). Owned by the
 * sweep owners, no expiry.
 */
async function loadIdle(url: string, n: number): Promise<void> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  await db.query(
    `INSERT INTO "ApiKey" (id, "userId", name, prefix, last4, hash, scopes, "createdAt", "lastUsedAt")
     SELECT gen_random_uuid()::text, 'sweep-user-' || (1 + i % 1000), CASE WHEN i % 2 = 0 THEN 'idle-' ELSE 'busy-' END || i,
            'kw_' || substr(md5(i::text), 1, 4), substr(md5(i::text), 5, 4), md5('idle' || i) || md5('z' || i), ARRAY['read'],
            now() - interval '100 days' - i * interval '1 millisecond', CASE WHEN i % 2 = 1 THEN now() - interval '1 hour' END
     FROM generate_series(1, $1) i`,
    [2 * n],
  );
  await db.query("VACUUM ANALYZE");
  await db.end();
}

async function resetSweepWork(url: string): Promise<void> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  await db.query(
    `DELETE FROM "EmailMessage"; DELETE FROM "Notification"; DELETE FROM "KeyEvent"; DELETE FROM "BlacklistedKey" WHERE "actorLabel" = 'sweep'; DELETE FROM "SweepRun"`,
  );
  await db.query("VACUUM ANALYZE");
  await db.end();
}

/**
 * The same work as one statement: the sweep's own SQL (blacklist row, key event, owners'
 * notices, all in one statement) for every due key at once: no batches, no lock, no cursor.
 */
async function rawStatement(url: string): Promise<{ ms: number; rows: number }> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const statement = blacklistDueSql(EXPIRE_STEP, new Date());
  const started = performance.now();
  const { rows } = await db.query<{ changed: string }>(statement.text, statement.values as unknown[]);
  const ms = performance.now() - started;
  await db.end();
  return { ms, rows: Number(rows[0]?.changed ?? 0) };
}

/** Verify load that runs until `until` settles; returns its p99. */
function verifyLoadDuring(url: string, bodies: string[], until: Promise<unknown>): Promise<number> {
  let next = 0;
  return new Promise((resolvePromise, reject) => {
    const instance = autocannon(
      {
        url,
        connections: 10,
        duration: 3600,
        requests: [
          {
            method: "POST",
            headers: { "content-type": "application/json" },
            setupRequest: (r) => ({ ...r, body: bodies[next++ % bodies.length] }),
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolvePromise(result.latency.p99)),
    );
    void until.finally(() => instance.stop());
  });
}

async function main(): Promise<number> {
  const n = flag("keys", smoke ? 5000 : 1_000_000);
  const batch = flag("batch", Number(process.env.SWEEP_BATCH_SIZE ?? 2000));
  const budget = flag("budget", Number(process.env.SWEEP_MAX_SECONDS ?? 50));
  console.log(`bench:sweep on ${machine()}: ${n} expired keys, batch ${batch}, ${budget} s per call`);
  const db = await benchDatabase();
  let stopApp: (() => Promise<void>) | null = null;
  try {
    const { keys } = await seedKeys(db.url, { total: 300, users: 10, known: 100, ownerEmailPrefix: "verify" });
    const t0 = performance.now();
    await loadExpired(db.url, n);
    console.log(`loaded ${n} expired keys in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    // The raw statement runs on a copy made now, from the data the sweep starts from, not on this
    // database after the sweep's work is deleted again (its indexes left grown: the raw statement
    // took 104–203 s on the same data that way).
    const pristine = await db.copy();

    process.env.DATABASE_URL = db.url;
    process.env.SWEEP_BATCH_SIZE = String(batch);
    const app = await startBenchApp(db.url, "bench-sweep-server");
    stopApp = () => app.stop();
    const verifyUrl = `${app.url}/api/v1/keys/verify`;
    const valid = keys.filter((k) => k.expected === "VALID").map((k) => JSON.stringify({ key: k.plaintext }));

    await load(
      "warm-up",
      verifyUrl,
      valid.map((body) => ({ body })),
      { duration: 2, connections: 10 },
    );
    const idle = await load(
      "idle",
      verifyUrl,
      valid.map((body) => ({ body, expected: "VALID" })),
      { duration: smoke ? 2 : 5, connections: 10 },
    );

    const { runSweep } = await import("../../lib/sweep/run-sweep");
    const { prisma } = await import("../../lib/db/client");
    // 1. One call under verify load (10 connections), as a cron call lands on a busy instance:
    // the verify p99 while the sweep runs, and how much the load slows the sweep. Then its work
    // is undone, so the timed sweep below starts from the same million due keys.
    const loadedPromise = runSweep({ trigger: "bench", batchSize: batch, maxSeconds: budget });
    const duringP99 = await verifyLoadDuring(verifyUrl, valid, loadedPromise);
    const loaded = await loadedPromise;
    const loadedRate = loaded.expired / Math.max(loaded.stepsMs.expire / 1000, 0.001);
    console.log(
      `  call under verify load: ${(loaded.durationMs / 1000).toFixed(1)} s, ${loaded.expired} blacklisted (${Math.round(loadedRate)} keys/s)`,
    );
    await prisma.$disconnect();
    await resetSweepWork(db.url);

    // 2. The whole backlog, in calls as cron makes them, one after another, until one answers
    // done; nothing else running, like the raw statement after it: the ratio compares the work.
    const calls: SweepSummary[] = [];
    for (;;) {
      const call = await runSweep({ trigger: "bench", batchSize: batch, maxSeconds: budget });
      calls.push(call);
      console.log(
        `  call ${calls.length}: ${(call.durationMs / 1000).toFixed(1)} s, ${call.expired} blacklisted, ` +
          (call.done
            ? "done"
            : `done: false, left ${call.left?.keysLeft}${call.left && call.left.keysLeft >= call.left.keysLeftCap ? "+" : ""} keys`),
      );
      if (call.done) break;
      if (calls.length > 1000) throw new Error("the sweep made no headway in 1000 calls");
    }
    const sum = (pick: (c: SweepSummary) => number) => calls.reduce((total, c) => total + pick(c), 0);
    const summary = {
      expired: sum((c) => c.expired),
      batches: sum((c) => c.batches),
      durationMs: sum((c) => c.durationMs),
      longestBatchMs: Math.max(loaded.longestBatchMs, ...calls.map((c) => c.longestBatchMs)),
      longestCallMs: Math.max(loaded.durationMs, ...calls.map((c) => c.durationMs)),
      stepsMs: { expire: sum((c) => c.stepsMs.expire) },
    };
    // 3. The next cron call, with nothing due: it walks past the million keys, now blacklisted
    // (they stay until the purge), in batches of at most WALK_SPAN keys.
    const quiet = await runSweep({ trigger: "bench", batchSize: batch, maxSeconds: budget });
    await prisma.$disconnect();

    const raw = await rawStatement(pristine.url);
    await pristine.drop();
    // The same work: both blacklist the N loaded keys plus the verify fixtures' expired ones.
    if (summary.expired < n || summary.expired !== raw.rows)
      throw new Error(`sweep blacklisted ${summary.expired}, raw statement ${raw.rows}`);

    const expirePhase = summary.stepsMs.expire;
    // Keys blacklisted per second of blacklisting, and the calls a million-key backlog needs at
    // that rate (each call also spends a little on its other steps and bookkeeping).
    const keysPerSecond = summary.expired / Math.max(expirePhase / 1000, 0.001);
    const callsForMillion = Math.ceil(1_000_000 / (keysPerSecond * 50));
    console.log(
      `\nsweep calls (${budget} s budget) ${calls.length}, longest ${(summary.longestCallMs / 1000).toFixed(1)} s, all together ${(summary.durationMs / 1000).toFixed(2)} s`,
    );
    console.log(`sweep, blacklist + notices ${(expirePhase / 1000).toFixed(2)} s in ${summary.batches} batches`);
    console.log(`raw single statement       ${(raw.ms / 1000).toFixed(2)} s`);
    console.log(`ratio (same work)          ${(expirePhase / raw.ms).toFixed(2)}`);
    console.log(`longest batch              ${summary.longestBatchMs} ms (with and without verify load)`);
    console.log(
      `next call, nothing due     ${(quiet.durationMs / 1000).toFixed(2)} s, ${quiet.batches} batches past the ${n} blacklisted keys, longest ${quiet.longestBatchMs} ms`,
    );
    console.log(
      `throughput                 ${Math.round(keysPerSecond)} keys/s blacklisted (with notices); ${Math.round(loadedRate)} under verify load (${(keysPerSecond / Math.max(loadedRate, 1)).toFixed(2)} × slower)`,
    );
    console.log(
      `1,000,000-key backlog      ${callsForMillion} call(s) of 50 s at that rate${n === 1_000_000 && budget === 50 ? `; measured: ${calls.length}` : ""}`,
    );
    console.log(
      `verify p99 idle / during   ${idle.p99.toFixed(1)} ms / ${duringP99.toFixed(1)} ms  (ratio ${(duringP99 / Math.max(idle.p99, 1)).toFixed(2)})`,
    );
    console.log(verdict(expirePhase <= 1.5 * raw.ms, "sweep ≤ 1.5 × the raw statement"));
    console.log(
      verdict(
        Math.max(summary.longestBatchMs, quiet.longestBatchMs) <= 1000,
        "no batch longer than 1 s (nothing due included)",
      ),
    );
    console.log(
      verdict(
        summary.longestCallMs <= (budget + 10) * 1000,
        `every call within its ${budget} s budget (+ one batch and bookkeeping, 10 s allowed)`,
      ),
    );
    console.log(verdict(duringP99 <= 2 * Math.max(idle.p99, 1), "verify p99 during the sweep ≤ 2 × idle"));

    // The idle step, on the same database (the million keys above stay, blacklisted).
    const idleKeys = flag("idle", smoke ? 2000 : 100_000);
    await loadIdle(db.url, idleKeys);
    const { createMailer } = await import("../../lib/notify/mailer");
    const idleSweep = (at: Date) =>
      runSweep({
        trigger: "bench",
        now: at,
        batchSize: batch,
        maxSeconds: 0,
        idleDays: 90,
        reminderDays: [7, 1],
        mailer: createMailer(undefined, "bench"),
      });
    const t1 = new Date();
    const reminded = await idleSweep(t1);
    const disabled = await idleSweep(new Date(t1.getTime() + 86_400_000 + 60_000));
    const settled = await idleSweep(new Date(t1.getTime() + 86_400_000 + 120_000));
    await prisma.$disconnect();
    // The verify fixtures' filler keys (issued up to 400 days ago, never used) are idle too.
    const check = new pg.Client({ connectionString: db.url });
    await check.connect();
    const { rows: idled } = await check.query<{ idle: string; busy: string }>(
      `SELECT count(*) FILTER (WHERE k.name LIKE 'idle-%') AS idle, count(*) FILTER (WHERE k.name LIKE 'busy-%') AS busy
       FROM "BlacklistedKey" b JOIN "ApiKey" k ON k.id = b."keyId" WHERE b.reason = 'IDLE'`,
    );
    await check.end();
    if (
      Number(idled[0]!.idle) !== idleKeys ||
      Number(idled[0]!.busy) !== 0 ||
      disabled.idled < idleKeys ||
      settled.idled + settled.idleReminders !== 0
    ) {
      throw new Error(
        `idle step: ${idled[0]!.idle} of ${idleKeys} idle keys and ${idled[0]!.busy} used ones disabled; then ${settled.idled + settled.idleReminders} more`,
      );
    }
    const idleWalk = (c: SweepSummary) => c.stepsMs.idle + c.stepsMs.idleRemind;
    const rate = (keys: number, ms: number) => Math.round(keys / Math.max(ms / 1000, 0.001));
    console.log(
      `\nidle keys: ${idleKeys} unused for 100 days, ${idleKeys} issued as long ago but used an hour ago (KEY_IDLE_DAYS=90)`,
    );
    console.log(
      `idle, reminders            ${(idleWalk(reminded) / 1000).toFixed(2)} s for ${reminded.idleReminders} (${rate(reminded.idleReminders, idleWalk(reminded))} keys/s; also moves the used keys' anchors)`,
    );
    console.log(
      `idle, blacklisting         ${(idleWalk(disabled) / 1000).toFixed(2)} s for ${disabled.idled} (${rate(disabled.idled, disabled.stepsMs.idle)} keys/s, with events and notices)`,
    );
    console.log(`idle, nothing due          ${idleWalk(settled)} ms (every key looked at has moved on)`);
    const idleLongest = Math.max(reminded.longestBatchMs, disabled.longestBatchMs, settled.longestBatchMs);
    console.log(`longest batch (idle runs)  ${idleLongest} ms`);
    console.log(verdict(idleLongest <= 1000, "no batch of the idle runs longer than 1 s"));
    console.log(verdict(idleWalk(settled) <= 1000, "idle steps with nothing due ≤ 1 s"));
    return idle.wrong ? 1 : 0;
  } finally {
    await stopApp?.();
    await db.drop();
  }
}

runBench(main);
