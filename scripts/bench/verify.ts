// npm run bench:verify – the verify route under load, against the framework floor.
// Builds and starts the app (`next start`) on a fresh PostgreSQL database with 100,000 keys in
// mixed states and measures, at 50 connections, in one run:
//   (a) a trivial route of the same app returning constant JSON (the framework floor),
//   (b) the verify route with valid keys,
//   (c) the verify route with a mix of valid, expired, revoked, unknown and malformed keys,
//   (d) a bare node:http + pg server doing the same lookup (the floor without the framework).
// Every answer is checked against the expected code; a wrong one fails the benchmark.
// Flags: --keys=N (100000), --duration=S (10), --smoke (2,000 keys, 2 s: CI checks it still runs).
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { freePort } from "../lib/free-port";
import { benchDatabase, flag, load, machine, onInterrupt, printLoadTable, root, runBench, seedKeys, smoke, startBenchApp, verdict } from "./lib";

async function main(): Promise<number> {
  const total = flag("keys", smoke ? 2000 : 100_000);
  const duration = flag("duration", smoke ? 2 : 10);
  console.log(`bench:verify on ${machine()}: ${total} keys, ${duration} s per run, 50 connections`);
  const db = await benchDatabase();
  const stops: (() => Promise<void>)[] = [];
  try {
    const { keys } = await seedKeys(db.url, { total, users: Math.max(10, Math.round(total / 100)), known: smoke ? 100 : 1000 });
    const app = await startBenchApp(db.url, "bench-verify-server");
    stops.push(() => app.stop());

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

    // Warm-up: JIT, connection pools, and the key cache (the steady state being measured).
    await load("warm-up", verifyUrl, mixed, { duration: Math.min(3, duration) });
    await load("warm-up", `${app.url}/api/ping`, [{ body: "" }], { duration: 1, method: "GET" });

    const floor = await load("(a) trivial route, GET (framework floor)", `${app.url}/api/ping`, [{ body: "" }], { duration, method: "GET" });
    const validRun = await load("(b) verify, valid keys", verifyUrl, valid, { duration });
    const mixedRun = await load("(c) verify, mixed keys", verifyUrl, mixed, { duration });
    const bareRun = await load("(d) bare node:http + pg, valid keys", `http://127.0.0.1:${barePort}/`, valid, { duration });
    printLoadTable([floor, validRun, mixedRun, bareRun]);

    const ratio = (a: number, b: number) => (a / b).toFixed(2);
    console.log(`\nb/a req/s ${ratio(validRun.rps, floor.rps)}   c/a req/s ${ratio(mixedRun.rps, floor.rps)}   b/d req/s ${ratio(validRun.rps, bareRun.rps)}`);
    console.log(`b/a p99 ${ratio(validRun.p99, floor.p99)}   c/a p99 ${ratio(mixedRun.p99, floor.p99)}`);
    console.log(verdict(validRun.rps >= 0.85 * floor.rps, "verify (valid) ≥ 85% of the trivial route's req/s"));
    console.log(verdict(validRun.p99 <= 2 * Math.max(floor.p99, 1), "verify (valid) p99 ≤ 2 × the trivial route's p99"));

    const wrong = validRun.wrong + mixedRun.wrong + bareRun.wrong;
    const errors = floor.errors + validRun.errors + mixedRun.errors + bareRun.errors;
    if (wrong || errors) {
      console.error(`\nFAILED: ${wrong} wrong answers, ${errors} errors or non-2xx responses.`);
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
