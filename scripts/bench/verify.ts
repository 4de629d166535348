// npm run bench:verify – the verify route under load, against the framework and bare floors.
// Builds and starts the app (`npm start`'s server) on a fresh PostgreSQL database with 100,000
// keys in mixed states and measures, at 50 connections, in one run:
//   (a) a trivial route of the same app returning constant JSON (the framework floor),
//   (b) the verify route with valid keys (served by the front server's fast path),
//   (c) the verify route with a mix of valid, expired, revoked, unknown and malformed keys,
//   (d) a bare node:http + pg server doing the same lookup (the floor without the framework),
//   (e) the verify route through Next's router (a second instance, VERIFY_FAST_PATH=false),
//   (f) cold cache: keys never seen before, each verified once, among 1,000,000 more keys,
//   (g) the bare server doing the same misses (other keys of the same million),
//   (h) verify, valid keys that each have a rate limit and an IP allowlist (fast path),
//   (i) the same through an instance that counts rate limits in Redis (when Redis answers),
//   (j) exactness: one key limited to LIMIT per hour, hammered, with some calls from outside
//       its allowlist: VALID exactly LIMIT times, never more (in process, then with Redis).
// Every answer is checked against the expected code; a wrong one fails the benchmark.
// Flags: --keys=N (100000), --duration=S (10), --cold-keys=N (1000000), --cold-requests=N
// (50000 per server), --smoke (small numbers, seconds: CI checks it still runs).
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { freePort } from "../lib/free-port";
import { redisAnswers } from "../lib/redis-answers";
import {
  benchDatabase,
  flag,
  load,
  machine,
  onInterrupt,
  printLoadTable,
  root,
  runBench,
  seedKeys,
  seedLimitedKeys,
  seedValidKeys,
  smoke,
  startBenchApp,
  verdict,
  type LoadResult,
} from "./lib";

/** The resident memory of the app server's process (Linux), in MiB. */
function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function main(): Promise<number> {
  const total = flag("keys", smoke ? 2000 : 100_000);
  const duration = flag("duration", smoke ? 2 : 10);
  const coldKeys = flag("cold-keys", smoke ? 4000 : 1_000_000);
  const coldRequests = Math.min(flag("cold-requests", smoke ? 1000 : 50_000), Math.floor(coldKeys / 2));
  console.log(`bench:verify on ${machine()}: ${total} keys, ${duration} s per run, 50 connections; cold: ${coldRequests} of ${coldKeys} more keys per server`);
  const db = await benchDatabase();
  const stops: (() => Promise<void>)[] = [];
  try {
    const { keys, userIds } = await seedKeys(db.url, { total, users: Math.max(10, Math.round(total / 100)), known: smoke ? 100 : 1000 });
    // Limits: keys with a rate limit they never reach and an allowlist they are inside of (h, i),
    // and one key per counter whose limit the exactness run (j) goes far past.
    const allowedCidrs = ["198.51.100.0/24", "2001:db8::/32"];
    const roomy = { max: 1_000_000_000, windowSeconds: 86_400 };
    const limited = await seedLimitedKeys(db.url, { total: smoke ? 100 : 1000, ownerId: userIds[0]!, rateLimit: roomy, allowedCidrs });
    const exactLimit = smoke ? 50 : 1000;
    const strict = await seedLimitedKeys(db.url, { total: 2, ownerId: userIds[0]!, rateLimit: { max: exactLimit, windowSeconds: 3600 }, allowedCidrs });
    const app = await startBenchApp(db.url, "bench-verify-server");
    stops.push(() => app.stop());
    const viaNext = await startBenchApp(db.url, "bench-verify-server-next", { VERIFY_FAST_PATH: "false" });
    stops.push(() => viaNext.stop());

    const barePort = await freePort();
    const bare = spawn(process.execPath, ["--import", "tsx", resolve(root, "scripts/bench/bare-verify-server.ts")], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: db.url, PORT: String(barePort) },
      stdio: ["ignore", "pipe", "inherit"],
    });
    stops.push(async () => void bare.kill());
    onInterrupt(async () => void bare.kill());
    await new Promise<void>((ready) => bare.stdout!.once("data", () => ready()));

    const body = (k: { plaintext: string; expected: string }) => ({ body: JSON.stringify({ key: k.plaintext }), expected: k.expected });
    const valid = keys.filter((k) => k.expected === "VALID").map(body);
    const mixed = keys.map(body).sort(() => Math.random() - 0.5);
    const verifyUrl = `${app.url}/api/v1/keys/verify`;
    const bareUrl = `http://127.0.0.1:${barePort}/`;

    // Warm-up: JIT, connection pools, and the key cache (the steady state being measured).
    for (const url of [verifyUrl, `${viaNext.url}/api/v1/keys/verify`]) await load("warm-up", url, mixed, { duration: Math.min(3, duration) });
    await load("warm-up", `${app.url}/api/ping`, [{ body: "" }], { duration: 1, method: "GET" });
    await load("warm-up", bareUrl, valid, { duration: 1 });

    const pid = app.child.pid!;
    const rssBefore = rssMiB(pid);
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssMiB(pid))), 100);
    const floor = await load("(a) trivial route, GET (framework floor)", `${app.url}/api/ping`, [{ body: "" }], { duration, method: "GET" });
    const validRun = await load("(b) verify, valid keys (fast path)", verifyUrl, valid, { duration });
    const mixedRun = await load("(c) verify, mixed keys (fast path)", verifyUrl, mixed, { duration });
    clearInterval(sampler);
    const bareRun = await load("(d) bare node:http + pg, valid keys", bareUrl, valid, { duration });
    const nextRun = await load("(e) verify, valid keys, via Next's router", `${viaNext.url}/api/v1/keys/verify`, valid, { duration });

    // Limits on: the same fast path, keys with a rate limit and an allowlist (h); the same keys
    // through an instance that counts in Redis (i); then the exactness runs (j).
    const limitedBodies = limited.map((plaintext) => ({ body: JSON.stringify({ key: plaintext, ip: "198.51.100.7" }), expected: "VALID" }));
    await load("warm-up", verifyUrl, limitedBodies, { duration: 1 });
    // (b) again, right before (h): the pair compared is measured side by side.
    const validAgain = await load("(b2) verify, valid keys, beside (h)", verifyUrl, valid, { duration });
    const limitsRun = await load("(h) verify, valid keys with limits", verifyUrl, limitedBodies, { duration });
    const redis = (await redisAnswers()) ? await startBenchApp(db.url, "bench-verify-server-redis", { REDIS_URL: "redis://127.0.0.1:6379" }) : null;
    if (redis) stops.push(() => redis.stop());
    let redisRun: LoadResult | null = null;
    if (redis) {
      await load("warm-up", `${redis.url}/api/v1/keys/verify`, limitedBodies, { duration: Math.min(3, duration) });
      redisRun = await load("(i) verify, valid keys with limits, Redis", `${redis.url}/api/v1/keys/verify`, limitedBodies, { duration });
    } else console.log("(i) skipped: no Redis at 127.0.0.1:6379");
    const exactBodies = (key: string) =>
      Array.from({ length: 10 }, (_, i) =>
        i === 9
          ? { body: JSON.stringify({ key, ip: "203.0.113.9" }), expected: "IP_NOT_ALLOWED" }
          : { body: JSON.stringify({ key, ip: "198.51.100.7" }), expected: "VALID|RATE_LIMITED" },
      );
    const hourOf = () => Math.floor(Date.now() / 3_600_000);
    const exactRuns: { run: LoadResult; hours: number }[] = [];
    for (const [server, key, name] of [[app, strict[0]!, "in process"], ...(redis ? [[redis, strict[1]!, "Redis"] as const] : [])] as const) {
      const firstHour = hourOf();
      const run = await load(`(j) limit ${exactLimit}/h, hammered, ${name}`, `${server.url}/api/v1/keys/verify`, exactBodies(key), { duration: Math.min(duration, 5) });
      exactRuns.push({ run, hours: hourOf() - firstHour + 1 });
    }

    // Cold cache: the key table grows by a million keys; each server then gets keys it has never
    // seen, each once, the two servers different halves so neither finds the other's pages warm.
    console.log(`\nseeding ${coldKeys} more keys for the cold-cache runs…`);
    const cold = (await seedValidKeys(db.url, { total: coldKeys, owners: Math.max(10, Math.round(coldKeys / 100)) })).map((plaintext) => ({
      body: JSON.stringify({ key: plaintext }),
      expected: "VALID",
    }));
    const coldRun = await load("(f) verify, cold cache, each key once", verifyUrl, cold.slice(0, coldRequests), { amount: coldRequests });
    const coldBare = await load("(g) bare server, the same misses", bareUrl, cold.slice(coldKeys - coldRequests), { amount: coldRequests });
    const runs: LoadResult[] = [floor, validRun, mixedRun, bareRun, nextRun, coldRun, coldBare, validAgain, limitsRun, ...(redisRun ? [redisRun] : []), ...exactRuns.map((r) => r.run)];
    printLoadTable(runs);

    const ratio = (a: number, b: number) => (a / b).toFixed(2);
    console.log(`\nb/d req/s ${ratio(validRun.rps, bareRun.rps)}   b/d p99 ${ratio(validRun.p99, bareRun.p99)}   c/d req/s ${ratio(mixedRun.rps, bareRun.rps)}   f/g req/s ${ratio(coldRun.rps, coldBare.rps)}`);
    console.log(`b/e req/s ${ratio(validRun.rps, nextRun.rps)} (fast path against Next's router)   b/a req/s ${ratio(validRun.rps, floor.rps)}   e/a req/s ${ratio(nextRun.rps, floor.rps)}`);
    console.log(`app RSS: ${rssBefore.toFixed(0)} MiB before the load, ${rssPeak.toFixed(0)} MiB at most under it (a–c), ${rssMiB(pid).toFixed(0)} MiB after the cold run`);
    console.log(verdict(validRun.rps >= 0.5 * bareRun.rps, "verify (valid) ≥ 0.5 × the bare server's req/s"));
    console.log(verdict(validRun.p99 <= 2 * Math.max(bareRun.p99, 1), "verify (valid) p99 ≤ 2 × the bare server's p99"));
    console.log(verdict(mixedRun.rps >= 0.45 * bareRun.rps, "verify (mixed) ≥ 0.45 × the bare server's req/s"));
    console.log(verdict(coldRun.rps >= 0.4 * coldBare.rps, "verify (cold cache) ≥ 0.4 × the bare server doing the same misses"));

    console.log(
      `h/b2 req/s ${ratio(limitsRun.rps, validAgain.rps)} (limits on against off, side by side)` +
        (redisRun ? `   i/h req/s ${ratio(redisRun.rps, limitsRun.rps)}, p50 +${(redisRun.p50 - limitsRun.p50).toFixed(1)} ms, p99 +${(redisRun.p99 - limitsRun.p99).toFixed(1)} ms (Redis round trip)` : ""),
    );
    console.log(verdict(limitsRun.rps >= 0.9 * validAgain.rps, "verify with limits on within 10 % of verify without them"));
    // A run inside one hour allows exactly the limit; one that crosses an hour, at most twice it.
    let overLimit = 0;
    for (const { run, hours } of exactRuns) {
      const validCount = run.codes.VALID ?? 0;
      const exact = hours === 1 ? validCount === exactLimit : validCount <= exactLimit * hours;
      console.log(`${run.label}: ${validCount} VALID, ${run.codes.RATE_LIMITED ?? 0} RATE_LIMITED, ${run.codes.IP_NOT_ALLOWED ?? 0} IP_NOT_ALLOWED`);
      console.log(verdict(exact, `a key over its limit is never VALID (${validCount} VALID for a limit of ${exactLimit} per hour)`));
      if (!exact) overLimit += 1;
    }

    const wrong = runs.reduce((n, r) => n + r.wrong, 0) + overLimit;
    const errors = runs.reduce((n, r) => n + r.errors, 0);
    if (wrong || errors) {
      console.error(`\nFAILED: ${wrong} wrong answers or runs over a limit, ${errors} errors or non-2xx responses.`);
      return 1;
    }
    console.log("\nEvery answer matched its expected code.");
    return 0;
  } finally {
    for (const stop of stops.reverse()) await stop();
    await db.drop();
  }
}

runBench(main);
