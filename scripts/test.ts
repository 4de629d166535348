// npm test – the whole suite: unit tests, then integration tests and Playwright e2e against a
// real `next start` on a fresh database (PostgreSQL when TEST_DATABASE_URL is set, otherwise
// embedded PGlite), dropped afterwards. `npm test -- unit|integration|e2e` runs one phase;
// other words narrow it to matching files (`npm test -- integration sweep`).
import { spawn } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { applyMigrations } from "../prisma/tools/engine";
import { startAppServer, type AppServer } from "./lib/app-server";
import { buildIfNeeded } from "./lib/build";
import { freePort } from "./lib/free-port";
import { provisionTestDatabase } from "./lib/test-database";
import { startFakeGitHub } from "../test-support/fake-github";

const root = resolve(import.meta.dirname, "..");
const PHASES = ["unit", "integration", "e2e"] as const;
type Phase = (typeof PHASES)[number];

interface Tally {
  passed: number;
  failed: number;
  skipped: number;
}

/**
 * Runs a phase's test runner and waits for it without blocking this process: the embedded
 * database (PGlite) the tests talk to lives here, and answers only while the event loop runs.
 */
function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<boolean> {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd: root, env, stdio: "inherit" });
    child.once("error", () => done(false));
    child.once("exit", (code) => done(code === 0));
  });
}

function tallyVitest(file: string, tally: Tally) {
  if (!existsSync(file)) return;
  const report = JSON.parse(readFileSync(file, "utf8")) as { numPassedTests: number; numFailedTests: number; numPendingTests: number };
  tally.passed += report.numPassedTests;
  tally.failed += report.numFailedTests;
  tally.skipped += report.numPendingTests;
}

function tallyPlaywright(file: string, tally: Tally) {
  if (!existsSync(file)) return;
  const report = JSON.parse(readFileSync(file, "utf8")) as { stats: { expected: number; unexpected: number; flaky: number; skipped: number } };
  tally.passed += report.stats.expected + report.stats.flaky;
  tally.failed += report.stats.unexpected;
  tally.skipped += report.stats.skipped;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2).filter((a) => !a.startsWith("-"));
  const requested = args.filter((a): a is Phase => (PHASES as readonly string[]).includes(a));
  // Anything else narrows the run to matching test files: `npm test -- integration sweep`.
  const filters = args.filter((a) => !(PHASES as readonly string[]).includes(a));
  const phases = requested.length ? requested : [...PHASES];

  const out = join(root, "test-results");
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const tally: Tally = { passed: 0, failed: 0, skipped: 0 };
  const vitest = join(root, "node_modules/vitest/vitest.mjs");
  let ok = true;

  if (phases.includes("unit")) {
    ok = (await run(process.execPath, [vitest, "run", "--project", "unit", "--reporter=default", "--reporter=json", `--outputFile.json=${out}/unit.json`, ...filters], process.env)) && ok;
    tallyVitest(join(out, "unit.json"), tally);
  }

  if (phases.includes("integration") || phases.includes("e2e")) {
    const db = await provisionTestDatabase();
    const github = await startFakeGitHub();
    const servers: AppServer[] = [];
    try {
      console.log(`[test] database: ${db.kind}`);
      await applyMigrations(db.url);
      const base: NodeJS.ProcessEnv = {
        ...process.env,
        NODE_ENV: "production",
        AUTH_SECRET: randomBytes(32).toString("base64url"),
        CRON_SECRET: randomBytes(24).toString("base64url"),
        DATABASE_POOL_SIZE: process.env.KW_POOL ?? (db.kind === "embedded" ? "5" : "10"),
        USAGE_FLUSH_INTERVAL_MS: "200",
        VERIFY_RATE_LIMIT: "0",
        // Tests edit rows directly and announce it with NOTIFY, which PGlite's socket does not
        // deliver: on the embedded database the servers run without the key cache.
        ...(db.kind === "embedded" ? { KEY_CACHE_TTL_MS: "0" } : {}),
        ALLOW_SIGNUP: "true",
        // Webhook tests deliver to a receiver on 127.0.0.1, and retry in moments, not minutes.
        WEBHOOK_ALLOW_PRIVATE: "true",
        WEBHOOK_RETRY_BASE_MS: "300",
      };
      // GitHub secret scanning's signing key: a P-256 pair made for this run; the server reads
      // the public half from a file in GitHub's document format, the tests sign with the other.
      const scanning = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
      const scanningKeysFile = join(out, "secret-scanning-public-keys.json");
      const scanningKeyId = randomBytes(16).toString("hex");
      writeFileSync(
        scanningKeysFile,
        JSON.stringify({ public_keys: [{ key_identifier: scanningKeyId, key: scanning.publicKey.export({ type: "spki", format: "pem" }), is_current: true }] }),
      );
      // GitHub sign-in against a local stand-in (GitHub Enterprise Server's configuration).
      const githubEnv = { AUTH_GITHUB_ID: "keyward-test", AUTH_GITHUB_SECRET: "keyward-test-secret", AUTH_GITHUB_ENTERPRISE_URL: github.url };
      buildIfNeeded(root, base);
      const port = await freePort();
      const appUrl = `http://127.0.0.1:${port}`;
      const serverLog = join(out, "server.log");
      const app = await startAppServer({
        root,
        port,
        logFile: serverLog,
        env: { ...base, ...githubEnv, DATABASE_URL: db.url, APP_URL: appUrl, SECRET_SCANNING_PUBLIC_KEYS: scanningKeysFile, LEAK_REPORT_RATE_LIMIT: "0" },
      });
      servers.push(app);
      // A second instance whose database is unreachable and whose rate limit is tiny: it
      // proves 503 (never VALID on doubt) and 429 without disturbing the main server.
      const downPort = await freePort();
      const down = await startAppServer({
        root,
        port: downPort,
        logFile: join(out, "server-down.log"),
        env: { ...base, DATABASE_URL: `postgres://postgres@127.0.0.1:${await freePort()}/none`, APP_URL: `http://127.0.0.1:${downPort}`, VERIFY_RATE_LIMIT: "3" },
      });
      servers.push(down);
      // A locked-down instance behind a trusted proxy (the tests play it: each X-Forwarded-For
      // address is a client of its own), with tight key-check limits and sign-up closed: it
      // proves limits and sign-in throttling per client, and GitHub refusing new accounts.
      const limitedPort = await freePort();
      const limited = await startAppServer({
        root,
        port: limitedPort,
        logFile: join(out, "server-limited.log"),
        env: {
          ...base,
          ...githubEnv,
          ALLOW_SIGNUP: "false",
          WEBHOOK_ALLOW_PRIVATE: "false",
          LEAK_REPORT_RATE_LIMIT: "3",
          DATABASE_URL: db.url,
          APP_URL: `http://127.0.0.1:${limitedPort}`,
          TRUSTED_PROXIES: "127.0.0.1",
          VERIFY_RATE_LIMIT: "10",
          VERIFY_MISS_LIMIT: "3",
        },
      });
      servers.push(limited);
      // A second ordinary instance on the same PostgreSQL, to prove that one instance's revoke
      // reaches the other's key cache. (The embedded database is single-instance by design.)
      const peer =
        db.kind === "postgres"
          ? await startAppServer({ root, port: await freePort(), logFile: join(out, "server-peer.log"), env: { ...base, DATABASE_URL: db.url, APP_URL: appUrl } })
          : null;
      if (peer) servers.push(peer);

      const testEnv: NodeJS.ProcessEnv = {
        ...base,
        NODE_ENV: "test",
        DATABASE_URL: db.url,
        TEST_DB_KIND: db.kind,
        KEYWARD_TEST_BASE_URL: app.url,
        KEYWARD_TEST_DOWN_URL: down.url,
        KEYWARD_TEST_LIMITED_URL: limited.url,
        KEYWARD_TEST_GITHUB_URL: github.url,
        KEYWARD_TEST_SCANNING_KEY_ID: scanningKeyId,
        KEYWARD_TEST_SCANNING_PRIVATE_KEY: scanning.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
        ...(peer ? { KEYWARD_TEST_PEER_URL: peer.url } : {}),
        KEYWARD_TEST_SERVER_LOG: serverLog,
        APP_URL: appUrl,
      };
      if (phases.includes("integration")) {
        ok = (await run(process.execPath, [vitest, "run", "--project", "integration", "--reporter=default", "--reporter=json", `--outputFile.json=${out}/integration.json`, ...filters], testEnv)) && ok;
        tallyVitest(join(out, "integration.json"), tally);
      }
      if (phases.includes("e2e")) {
        const playwright = join(root, "node_modules/@playwright/test/cli.js");
        ok = (await run(process.execPath, [playwright, "test", ...filters], { ...testEnv, PLAYWRIGHT_JSON_OUTPUT_NAME: join(out, "e2e.json") })) && ok;
        tallyPlaywright(join(out, "e2e.json"), tally);
      }
    } finally {
      for (const server of servers) await server.stop();
      await github.close();
      await db.drop();
    }
  }

  console.log(`\n${tally.passed} passed, ${tally.failed} failed${tally.skipped ? `, ${tally.skipped} skipped` : ""}`);
  return ok && tally.failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`[test] ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  },
);
