// npm test – the whole suite: unit tests, then integration tests and Playwright e2e against a
// real `next start` on a fresh database (PostgreSQL when TEST_DATABASE_URL is set, otherwise
// embedded PGlite), dropped afterwards; a DeprecationWarning in a server's log fails the run.
// `npm test -- unit|integration|e2e` runs one phase; other words narrow it to matching files
// (`npm test -- integration sweep`).
import { spawn } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { applyMigrations } from "../prisma/tools/engine";
import { startAppServer, type AppServer } from "../server/app-server";
import { buildIfNeeded } from "./lib/build";
import { freePort } from "../server/free-port";
import { provisionTestDatabase } from "./lib/test-database";
import { startFakeGitHub } from "../test-support/fake-github";
import { startOidcProvider, type TestOidcProvider } from "../test-support/oidc-provider";
import { issuedSecrets } from "../test-support/issued-secrets";

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
  const report = JSON.parse(readFileSync(file, "utf8")) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
  };
  tally.passed += report.numPassedTests;
  tally.failed += report.numFailedTests;
  tally.skipped += report.numPendingTests;
}

function tallyPlaywright(file: string, tally: Tally) {
  if (!existsSync(file)) return;
  const report = JSON.parse(readFileSync(file, "utf8")) as {
    stats: { expected: number; unexpected: number; flaky: number; skipped: number };
  };
  tally.passed += report.stats.expected + report.stats.flaky;
  tally.failed += report.stats.unexpected;
  tally.skipped += report.stats.skipped;
}

/**
 * Fails the run when a server printed a DeprecationWarning: Node prints each one once per
 * process, as one line among many, so it passes unseen while what it warns about (pg's
 * overlapping queries, an error in pg 9) waits for the next upgrade. Every server logs to
 * test-results/server*.log: the runner's, and those tests start themselves.
 */
function noDeprecations(out: string): boolean {
  const found: string[] = [];
  for (const file of readdirSync(out)
    .filter((f) => /^server.*\.log$/.test(f))
    .sort()) {
    const lines = readFileSync(join(out, file), "utf8").split("\n");
    lines.forEach((line, i) => {
      if (!line.includes("DeprecationWarning")) return;
      // The warning and its stack (--trace-deprecation): the frames are the lines that follow.
      const frames = lines.slice(i + 1).findIndex((l) => !/^\s+at /.test(l));
      found.push(
        `test-results/${file}:${i + 1}: ${lines.slice(i, frames === -1 ? undefined : i + 1 + frames).join("\n")}`,
      );
    });
  }
  for (const warning of found) console.error(`[test] ${warning}`);
  if (found.length)
    console.error(`[test] the run fails: ${found.length} DeprecationWarning(s) in the servers' logs (above)`);
  return found.length === 0;
}

/**
 * Fails the run when a server logged a secret a test made: a seeded user's password, a seeded
 * key's or token's plaintext, a password or session a test signed in with
 * (test-support/issued-secrets.ts). Searched once every server has stopped, so that the lines
 * written last (a shutdown's usage flush) are searched too.
 */
function noSecretsInLogs(out: string): boolean {
  const secrets = issuedSecrets();
  const files = readdirSync(out)
    .filter((f) => /^server.*\.log$/.test(f))
    .sort();
  let found = 0;
  for (const file of files) {
    const lines = readFileSync(join(out, file), "utf8").split("\n");
    for (const secret of secrets) {
      const at = lines.findIndex((line) => line.includes(secret));
      if (at === -1) continue;
      found++;
      // The line's place, not the secret.
      console.error(
        `[test] test-results/${file}:${at + 1} holds a secret a test issued (${secret.length} characters, starting ${JSON.stringify(secret.slice(0, 3))})`,
      );
    }
  }
  console.log(
    `[test] searched ${files.length} server logs for ${secrets.length} secrets the tests issued: ${found} found`,
  );
  if (found) console.error("[test] the run fails: secrets in the servers' logs (above)");
  return found === 0;
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
    ok =
      (await run(
        process.execPath,
        [
          vitest,
          "run",
          "--project",
          "unit",
          "--reporter=default",
          "--reporter=json",
          `--outputFile.json=${out}/unit.json`,
          ...filters,
        ],
        process.env,
      )) && ok;
    tallyVitest(join(out, "unit.json"), tally);
  }

  if (phases.includes("integration") || phases.includes("e2e")) {
    const db = await provisionTestDatabase();
    const github = await startFakeGitHub();
    let oidc: TestOidcProvider | null = null;
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
        // The shared servers let every test's fresh admin in without a second factor; the tests of
        // REQUIRE_2FA start instances of their own (lib/second-factor/*.int.test.ts).
        REQUIRE_2FA: "off",
        // Every test (and the fuzz) asks for reset links from this one client; the locked-down
        // instance below proves the per-client limit.
        PASSWORD_RESET_RATE_LIMIT: "0",
        // Webhook tests deliver to a receiver on 127.0.0.1, and retry in moments, not minutes.
        WEBHOOK_ALLOW_PRIVATE: "true",
        WEBHOOK_RETRY_BASE_MS: "300",
        // A deprecation prints with the stack that reached it, for the check after the run.
        NODE_OPTIONS: [process.env.NODE_OPTIONS, "--trace-deprecation"].filter(Boolean).join(" "),
      };
      // GitHub secret scanning's signing key: a P-256 pair made for this run; the server reads
      // the public half from a file in GitHub's document format, the tests sign with the other.
      const scanning = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
      const scanningKeysFile = join(out, "secret-scanning-public-keys.json");
      const scanningKeyId = randomBytes(16).toString("hex");
      writeFileSync(
        scanningKeysFile,
        JSON.stringify({
          public_keys: [
            {
              key_identifier: scanningKeyId,
              key: scanning.publicKey.export({ type: "spki", format: "pem" }),
              is_current: true,
            },
          ],
        }),
      );
      // GitHub sign-in against a local stand-in (GitHub Enterprise Server's configuration).
      const githubEnv = {
        AUTH_GITHUB_ID: "keyward-test",
        AUTH_GITHUB_SECRET: "keyward-test-secret",
        AUTH_GITHUB_ENTERPRISE_URL: github.url,
      };
      await buildIfNeeded(root, base);
      const port = await freePort();
      const appUrl = `http://127.0.0.1:${port}`;
      const limitedPort = await freePort();
      // Single sign-on against a real OpenID provider (test-support/oidc-provider.ts), for the main
      // server (sign-up on, addresses in two domains, an admin group) and the locked-down one.
      oidc = await startOidcProvider(
        [appUrl, `http://127.0.0.1:${limitedPort}`].map((u) => `${u}/api/auth/callback/oidc`),
      );
      const oidcEnv = {
        OIDC_ISSUER: oidc.issuer,
        OIDC_CLIENT_ID: oidc.clientId,
        OIDC_CLIENT_SECRET: oidc.clientSecret,
        OIDC_NAME: "Test SSO",
        OIDC_SCOPES: "openid email profile groups",
      };
      const serverLog = join(out, "server.log");
      const app = await startAppServer({
        root,
        port,
        logFile: serverLog,
        env: {
          ...base,
          ...githubEnv,
          ...oidcEnv,
          OIDC_ALLOWED_DOMAINS: "example.test,sso.example.test",
          OIDC_ADMIN_GROUP: "keyward-admins",
          DATABASE_URL: db.url,
          APP_URL: appUrl,
          SECRET_SCANNING_PUBLIC_KEYS: scanningKeysFile,
          LEAK_REPORT_RATE_LIMIT: "0",
          PASSKEY_OPTIONS_RATE_LIMIT: "0",
        },
      });
      servers.push(app);
      // A second instance whose database is unreachable and whose rate limit is tiny: it
      // proves 503 (never VALID on doubt) and 429 without disturbing the main server.
      const downPort = await freePort();
      const down = await startAppServer({
        root,
        port: downPort,
        logFile: join(out, "server-down.log"),
        env: {
          ...base,
          DATABASE_URL: `postgres://postgres@127.0.0.1:${await freePort()}/none`,
          APP_URL: `http://127.0.0.1:${downPort}`,
          VERIFY_RATE_LIMIT: "3",
        },
      });
      servers.push(down);
      // A locked-down instance behind a trusted proxy (the tests play it: each X-Forwarded-For
      // address is a client of its own), with tight key-check limits and sign-up closed: it
      // proves limits and sign-in throttling per client, and GitHub refusing new accounts. It
      // allows private webhook targets like the others: on the shared database it delivers their
      // webhooks too, to receivers on 127.0.0.1 (the SSRF tests start a refusing instance).
      const limited = await startAppServer({
        root,
        port: limitedPort,
        logFile: join(out, "server-limited.log"),
        env: {
          ...base,
          ...githubEnv,
          ...oidcEnv,
          ALLOW_SIGNUP: "false",
          LEAK_REPORT_RATE_LIMIT: "3",
          PASSKEY_OPTIONS_RATE_LIMIT: "3",
          DATABASE_URL: db.url,
          APP_URL: `http://127.0.0.1:${limitedPort}`,
          TRUSTED_PROXIES: "127.0.0.1",
          VERIFY_RATE_LIMIT: "10",
          VERIFY_MISS_LIMIT: "3",
          PASSWORD_RESET_RATE_LIMIT: "10",
        },
      });
      servers.push(limited);
      // A second ordinary instance on the same PostgreSQL, to prove that one instance's revoke
      // reaches the other's key cache. (The embedded database is single-instance by design.)
      const peer =
        db.kind === "postgres"
          ? await startAppServer({
              root,
              port: await freePort(),
              logFile: join(out, "server-peer.log"),
              env: { ...base, DATABASE_URL: db.url, APP_URL: appUrl },
            })
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
        KEYWARD_TEST_OIDC_ISSUER: oidc.issuer,
        KEYWARD_TEST_SCANNING_KEY_ID: scanningKeyId,
        KEYWARD_TEST_SCANNING_PRIVATE_KEY: scanning.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
        ...(peer ? { KEYWARD_TEST_PEER_URL: peer.url } : {}),
        KEYWARD_TEST_SERVER_LOG: serverLog,
        APP_URL: appUrl,
      };
      if (phases.includes("integration")) {
        ok =
          (await run(
            process.execPath,
            [
              vitest,
              "run",
              "--project",
              "integration",
              "--reporter=default",
              "--reporter=json",
              `--outputFile.json=${out}/integration.json`,
              ...filters,
            ],
            testEnv,
          )) && ok;
        tallyVitest(join(out, "integration.json"), tally);
      }
      if (phases.includes("e2e")) {
        const playwright = join(root, "node_modules/@playwright/test/cli.js");
        ok =
          (await run(process.execPath, [playwright, "test", ...filters], {
            ...testEnv,
            PLAYWRIGHT_JSON_OUTPUT_NAME: join(out, "e2e.json"),
          })) && ok;
        tallyPlaywright(join(out, "e2e.json"), tally);
      }
    } finally {
      for (const server of servers) await server.stop();
      await github.close();
      await oidc?.close();
      await db.drop();
    }
    ok = noDeprecations(out) && ok;
    ok = noSecretsInLogs(out) && ok;
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
