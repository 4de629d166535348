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
//       its allowlist: VALID exactly LIMIT times, never more (in process, then with Redis),
//   (k) verify, valid keys, each request with a verifier token (an API token with the verify
//       scope, Authorization: Bearer), beside (b3), the same without one,
//   (m) verify, valid keys, on an instance that records metrics (METRICS_TOKEN set) against a
//       twin that does not (neither METRICS_TOKEN nor METRICS_PORT), runs alternating.
// The runs that name an `ip` send a verifier token: only a verifier's `ip` is believed.
// Every answer is checked against the expected code; a wrong one fails the benchmark.
// Flags: --keys=N (100000), --duration=S (10), --cold-keys=N (1000000), --cold-requests=N
// (50000 per server), --smoke (small numbers, seconds: CI checks it still runs).
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { freePort } from "../../server/free-port";
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
  seedVerifier,
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
  console.log(
    `bench:verify on ${machine()}: ${total} keys, ${duration} s per run, 50 connections; cold: ${coldRequests} of ${coldKeys} more keys per server`,
  );
  const db = await benchDatabase();
  const stops: (() => Promise<void>)[] = [];
  try {
    const { keys, userIds } = await seedKeys(db.url, {
      total,
      users: Math.max(10, Math.round(total / 100)),
      known: smoke ? 100 : 1000,
    });
    // Limits: keys with a rate limit they never reach and an allowlist they are inside of (h, i),
    // and one key per counter whose limit the exactness run (j) goes far past.
    const allowedCidrs = ["198.51.100.0/24", "2001:db8::/32"];
    const roomy = { max: 1_000_000_000, windowSeconds: 86_400 };
    const limited = await seedLimitedKeys(db.url, {
      total: smoke ? 100 : 1000,
      ownerId: userIds[0]!,
      rateLimit: roomy,
      allowedCidrs,
    });
    const exactLimit = smoke ? 50 : 1000;
    const strict = await seedLimitedKeys(db.url, {
      total: 2,
      ownerId: userIds[0]!,
      rateLimit: { max: exactLimit, windowSeconds: 3600 },
      allowedCidrs,
    });
    // Verifiers: the limited keys' owner's token (for the runs that name an ip), and a site admin's.
    const ownVerifier = { authorization: `Bearer ${await seedVerifier(db.url, userIds[0]!)}` };
    const siteVerifier = { authorization: `Bearer ${await seedVerifier(db.url)}` };
    // Metrics off here (nobody could scrape them); (m) compares an instance that records them.
    const metricsOff = { METRICS_TOKEN: "", METRICS_PORT: "" };
    const app = await startBenchApp(db.url, "bench-verify-server", metricsOff);
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

    const body = (k: { plaintext: string; expected: string }) => ({
      body: JSON.stringify({ key: k.plaintext }),
      expected: k.expected,
    });
    const valid = keys.filter((k) => k.expected === "VALID").map(body);
    const mixed = keys.map(body).sort(() => Math.random() - 0.5);
    const verifyUrl = `${app.url}/api/v1/keys/verify`;
    const bareUrl = `http://127.0.0.1:${barePort}/`;

    // Warm-up: JIT, connection pools, and the key cache (the steady state being measured).
    for (const url of [verifyUrl, `${viaNext.url}/api/v1/keys/verify`])
      await load("warm-up", url, mixed, { duration: Math.min(3, duration) });
    await load("warm-up", `${app.url}/api/ping`, [{ body: "" }], { duration: 1, method: "GET" });
    await load("warm-up", bareUrl, valid, { duration: 1 });

    const pid = app.child.pid!;
    const rssBefore = rssMiB(pid);
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssMiB(pid))), 100);
    const floor = await load("(a) trivial route, GET (framework floor)", `${app.url}/api/ping`, [{ body: "" }], {
      duration,
      method: "GET",
    });
    const validRun = await load("(b) verify, valid keys (fast path)", verifyUrl, valid, { duration });
    const mixedRun = await load("(c) verify, mixed keys (fast path)", verifyUrl, mixed, { duration });
    clearInterval(sampler);
    const bareRun = await load("(d) bare node:http + pg, valid keys", bareUrl, valid, { duration });
    const nextRun = await load(
      "(e) verify, valid keys, via Next's router",
      `${viaNext.url}/api/v1/keys/verify`,
      valid,
      { duration },
    );

    // Limits on: the same fast path, keys with a rate limit and an allowlist (h); the same keys
    // through an instance that counts in Redis (i); then the exactness runs (j).
    const limitedBodies = limited.map((plaintext) => ({
      body: JSON.stringify({ key: plaintext, ip: "198.51.100.7" }),
      expected: "VALID",
    }));
    await load("warm-up", verifyUrl, limitedBodies, { duration: 1, headers: ownVerifier });
    // (b) again, right before (h): the pair compared is measured side by side.
    const validAgain = await load("(b2) verify, valid keys, beside (h)", verifyUrl, valid, { duration });
    const limitsRun = await load("(h) verify, valid keys with limits", verifyUrl, limitedBodies, {
      duration,
      headers: ownVerifier,
    });
    const redis = (await redisAnswers())
      ? await startBenchApp(db.url, "bench-verify-server-redis", { REDIS_URL: "redis://127.0.0.1:6379" })
      : null;
    if (redis) stops.push(() => redis.stop());
    let redisRun: LoadResult | null = null;
    if (redis) {
      await load("warm-up", `${redis.url}/api/v1/keys/verify`, limitedBodies, {
        duration: Math.min(3, duration),
        headers: ownVerifier,
      });
      redisRun = await load(
        "(i) verify, valid keys with limits, Redis",
        `${redis.url}/api/v1/keys/verify`,
        limitedBodies,
        { duration, headers: ownVerifier },
      );
    } else console.log("(i) skipped: no Redis at 127.0.0.1:6379");
    const exactBodies = (key: string) =>
      Array.from({ length: 10 }, (_, i) =>
        i === 9
          ? { body: JSON.stringify({ key, ip: "203.0.113.9" }), expected: "IP_NOT_ALLOWED" }
          : { body: JSON.stringify({ key, ip: "198.51.100.7" }), expected: "VALID|RATE_LIMITED" },
      );
    const hourOf = () => Math.floor(Date.now() / 3_600_000);
    const exactRuns: { run: LoadResult; hours: number }[] = [];
    for (const [server, key, name] of [
      [app, strict[0]!, "in process"],
      ...(redis ? [[redis, strict[1]!, "Redis"] as const] : []),
    ] as const) {
      const firstHour = hourOf();
      const run = await load(
        `(j) limit ${exactLimit}/h, hammered, ${name}`,
        `${server.url}/api/v1/keys/verify`,
        exactBodies(key),
        { duration: Math.min(duration, 5), headers: ownVerifier },
      );
      exactRuns.push({ run, hours: hourOf() - firstHour + 1 });
    }

    // Authenticated verification: a verifier token on every request against none, side by side.
    await load("warm-up", verifyUrl, valid, { duration: 1, headers: siteVerifier });
    const validPlain = await load("(b3) verify, valid keys, beside (k)", verifyUrl, valid, { duration });
    const verifierRun = await load("(k) verify, valid keys, with a verifier token", verifyUrl, valid, {
      duration,
      headers: siteVerifier,
    });

    // Metrics on against off: two fresh instances alike but for METRICS_TOKEN (not the main one,
    // which has served every run above and is warmer), warmed alike and measured in turns, the
    // order swapped each round, so that a drift of the machine falls on both alike; the verdict
    // takes the median of the three rounds' ratios, so one round a neighbour disturbed does not decide.
    const metricsToken = "bench-metrics-token-0123456789";
    const [metered, unmetered] = [
      await startBenchApp(db.url, "bench-verify-server-metrics", { METRICS_TOKEN: metricsToken, METRICS_PORT: "" }),
      await startBenchApp(db.url, "bench-verify-server-metrics-off", metricsOff),
    ];
    stops.push(
      () => metered.stop(),
      () => unmetered.stop(),
    );
    const sides = { on: `${metered.url}/api/v1/keys/verify`, off: `${unmetered.url}/api/v1/keys/verify` } as const;
    for (const url of [sides.off, sides.on]) await load("warm-up", url, valid, { duration: Math.min(3, duration) });
    const metricsRuns: { on: LoadResult[]; off: LoadResult[] } = { on: [], off: [] };
    for (let round = 1; round <= 3; round++) {
      for (const side of round % 2 === 1 ? (["off", "on"] as const) : (["on", "off"] as const)) {
        metricsRuns[side].push(
          await load(`(m${round}) verify, valid keys, metrics ${side}`, sides[side], valid, { duration }),
        );
      }
    }
    const scraped = await (
      await fetch(`${metered.url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } })
    ).text();
    const recorded = Number(
      /^keyward_verifications_total\{outcome="VALID",path="fast"\} (\d+)/m.exec(scraped)?.[1] ?? 0,
    );

    // Cold cache: the key table grows by a million keys; each server then gets keys it has never
    // seen, each once, the two servers different halves so neither finds the other's pages warm.
    console.log(`\nseeding ${coldKeys} more keys for the cold-cache runs…`);
    const cold = (
      await seedValidKeys(db.url, { total: coldKeys, owners: Math.max(10, Math.round(coldKeys / 100)) })
    ).map((plaintext) => ({
      body: JSON.stringify({ key: plaintext }),
      expected: "VALID",
    }));
    const coldRun = await load("(f) verify, cold cache, each key once", verifyUrl, cold.slice(0, coldRequests), {
      amount: coldRequests,
    });
    const coldBare = await load("(g) bare server, the same misses", bareUrl, cold.slice(coldKeys - coldRequests), {
      amount: coldRequests,
    });
    const runs: LoadResult[] = [
      floor,
      validRun,
      mixedRun,
      bareRun,
      nextRun,
      coldRun,
      coldBare,
      validAgain,
      limitsRun,
      ...(redisRun ? [redisRun] : []),
      ...exactRuns.map((r) => r.run),
      validPlain,
      verifierRun,
      ...metricsRuns.off.flatMap((off, i) => [off, metricsRuns.on[i]!]),
    ];
    printLoadTable(runs);

    const ratio = (a: number, b: number) => (a / b).toFixed(2);
    console.log(
      `\nb/d req/s ${ratio(validRun.rps, bareRun.rps)}   b/d p99 ${ratio(validRun.p99, bareRun.p99)}   c/d req/s ${ratio(mixedRun.rps, bareRun.rps)}   f/g req/s ${ratio(coldRun.rps, coldBare.rps)}`,
    );
    console.log(
      `b/e req/s ${ratio(validRun.rps, nextRun.rps)} (fast path against Next's router)   b/a req/s ${ratio(validRun.rps, floor.rps)}   e/a req/s ${ratio(nextRun.rps, floor.rps)}`,
    );
    console.log(
      `app RSS: ${rssBefore.toFixed(0)} MiB before the load, ${rssPeak.toFixed(0)} MiB at most under it (a–c), ${rssMiB(pid).toFixed(0)} MiB after the cold run`,
    );
    console.log(verdict(validRun.rps >= 0.5 * bareRun.rps, "verify (valid) ≥ 0.5 × the bare server's req/s"));
    console.log(
      verdict(validRun.p99 <= 2 * Math.max(bareRun.p99, 1), "verify (valid) p99 ≤ 2 × the bare server's p99"),
    );
    console.log(verdict(mixedRun.rps >= 0.45 * bareRun.rps, "verify (mixed) ≥ 0.45 × the bare server's req/s"));
    console.log(
      verdict(coldRun.rps >= 0.4 * coldBare.rps, "verify (cold cache) ≥ 0.4 × the bare server doing the same misses"),
    );

    console.log(
      `h/b2 req/s ${ratio(limitsRun.rps, validAgain.rps)} (limits on against off, side by side)` +
        (redisRun
          ? `   i/h req/s ${ratio(redisRun.rps, limitsRun.rps)}, p50 +${(redisRun.p50 - limitsRun.p50).toFixed(1)} ms, p99 +${(redisRun.p99 - limitsRun.p99).toFixed(1)} ms (Redis round trip)`
          : ""),
    );
    console.log(
      verdict(limitsRun.rps >= 0.9 * validAgain.rps, "verify with limits on within 10 % of verify without them"),
    );
    console.log(
      `k/b3 req/s ${ratio(verifierRun.rps, validPlain.rps)}   k/b3 p99 ${ratio(verifierRun.p99, Math.max(validPlain.p99, 1))} (a verifier token on every request against none, side by side)`,
    );
    console.log(
      verdict(
        verifierRun.rps >= 0.9 * validPlain.rps,
        "verify with a verifier token within 10 % of verify without one",
      ),
    );
    const mean = (list: LoadResult[], of: (r: LoadResult) => number) =>
      list.reduce((sum, r) => sum + of(r), 0) / list.length;
    const roundRatios = metricsRuns.on.map((on, i) => on.rps / metricsRuns.off[i]!.rps).sort((a, b) => a - b);
    const metricsRatio = roundRatios[Math.floor(roundRatios.length / 2)]!;
    console.log(
      `m on/off req/s ${metricsRatio.toFixed(3)} (median of rounds: ${roundRatios.map((r) => r.toFixed(3)).join(", ")})   ` +
        `p99 ${mean(metricsRuns.on, (r) => r.p99).toFixed(1)} ms on, ${mean(metricsRuns.off, (r) => r.p99).toFixed(1)} ms off ` +
        `(metrics recorded on every verification against none; ${recorded} VALID fast-path verifications counted by the scrape)`,
    );
    console.log(verdict(metricsRatio >= 0.97, "verify with metrics on within 3 % of verify with them off"));
    const metricsCounted = recorded >= metricsRuns.on.reduce((n, r) => n + (r.codes.VALID ?? 0), 0);
    if (!metricsCounted)
      console.error(`the metrics instance counted ${recorded} VALID verifications, fewer than it answered`);
    // A run inside one hour allows exactly the limit; one that crosses an hour, at most twice it.
    let overLimit = 0;
    for (const { run, hours } of exactRuns) {
      const validCount = run.codes.VALID ?? 0;
      const exact = hours === 1 ? validCount === exactLimit : validCount <= exactLimit * hours;
      console.log(
        `${run.label}: ${validCount} VALID, ${run.codes.RATE_LIMITED ?? 0} RATE_LIMITED, ${run.codes.IP_NOT_ALLOWED ?? 0} IP_NOT_ALLOWED`,
      );
      console.log(
        verdict(
          exact,
          `a key over its limit is never VALID (${validCount} VALID for a limit of ${exactLimit} per hour)`,
        ),
      );
      if (!exact) overLimit += 1;
    }

    const wrong = runs.reduce((n, r) => n + r.wrong, 0) + overLimit + (metricsCounted ? 0 : 1);
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
