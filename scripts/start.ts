// npm start – the quick start. With no DATABASE_URL: opens the embedded PostgreSQL (PGlite) in
// the data folder, generates and keeps AUTH_SECRET and CRON_SECRET there, migrates, seeds demo
// data into an empty database, builds if the sources changed, and serves the portal.
// With DATABASE_URL: the same, against that PostgreSQL (no demo data unless SEED_DEMO=true).
// Settings come from the environment and from .env files, read once, first, the way Next reads
// them, so that every step here and the server see one configuration.
import { resolve, join } from "node:path";
import nextEnv from "@next/env";
import { parseEnv } from "../lib/env-schema.mjs";
import { directDatabaseUrl } from "../lib/db/direct-url";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "../lib/db/embedded";
import { applyMigrations } from "../prisma/tools/engine";
import { bootstrapData, wantsDemo, type BootstrapResult } from "../prisma/seed/bootstrap";
import { startAppServer, type AppServer } from "./lib/app-server";
import { buildIfNeeded } from "./lib/build";
import { persistentSecret } from "./lib/secrets";

const root = resolve(import.meta.dirname, "..");
const dev = process.argv.includes("--dev");

async function main() {
  // .env.local, .env.production/.env.development, .env; the process environment wins.
  nextEnv.loadEnvConfig(resolve(process.env.KEYWARD_CONFIG_DIR ?? root), dev, { info() {}, error: console.error });
  const env: NodeJS.ProcessEnv = { ...process.env };
  const dataDir = resolve(root, env.KEYWARD_DATA_DIR ?? ".data");
  const port = Number(env.PORT ?? 3000);
  env.APP_URL ??= `http://localhost:${port}`;
  // next-auth builds its links (OAuth callbacks) from this, never from a Host header.
  env.AUTH_URL ??= env.APP_URL;

  let embedded: EmbeddedDatabase | null = null;
  let app: AppServer | null = null;
  let stopping = false;
  // One stop however many signals arrive (a process-group signal reaches us and the server
  // alike): the server flushes and exits, then the embedded database closes cleanly.
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await app?.stop();
    await embedded?.close();
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));
  process.on("SIGHUP", () => void stop(0));

  try {
    if (!env.DATABASE_URL) {
      if (env.DATABASE_DIRECT_URL) throw new Error("DATABASE_DIRECT_URL is set without DATABASE_URL: set both, or neither for the embedded database.");
      embedded = await startEmbeddedDatabase({ dataDir: join(dataDir, "pglite") });
      env.DATABASE_URL = embedded.url;
      // PGlite runs one query at a time; a small pool avoids queueing connections it would refuse.
      env.DATABASE_POOL_SIZE ??= "5";
      // One process owns the embedded database, and PGlite's socket does not pass NOTIFY between
      // connections: invalidating the key cache in-process is both enough and the only way.
      env.KEY_CACHE_SYNC ??= "local";
    }
    // The data folder holds the database and secrets: this user's alone (0700 / 0600).
    process.umask(0o077);
    env.AUTH_SECRET ??= persistentSecret(dataDir, "auth-secret");
    env.CRON_SECRET ??= persistentSecret(dataDir, "cron-secret");
    parseEnv(env); // fail now, with every problem listed, rather than on the first request

    const migrated = await applyMigrations(directDatabaseUrl(env)!);
    if (migrated.applied.length) console.log(`[keyward] applied migrations: ${migrated.applied.join(", ")}`);

    const seeded = await bootstrapData({
      databaseUrl: env.DATABASE_URL,
      demo: wantsDemo(env, embedded !== null),
      adminEmail: env.ADMIN_EMAIL,
      adminPassword: env.ADMIN_PASSWORD,
    });

    if (!dev) buildIfNeeded(root, env);
    app = await startAppServer({ root, port, env, dev, host: env.HOST ?? "127.0.0.1" });
    app.child.once("exit", (code) => void stop(code ?? 1));
    printBanner(env, seeded, embedded !== null);
  } catch (error) {
    console.error(`\n[keyward] could not start: ${error instanceof Error ? error.message : String(error)}\n`);
    await app?.stop();
    await embedded?.close();
    process.exit(1);
  }
}

function printBanner(env: NodeJS.ProcessEnv, seeded: BootstrapResult, isEmbedded: boolean) {
  const lines = [
    "",
    `  Keyward is running at ${env.APP_URL}`,
    `  Database: ${isEmbedded ? `embedded PostgreSQL (PGlite) in ${env.KEYWARD_DATA_DIR ?? ".data"}/pglite` : "DATABASE_URL"}`,
  ];
  if (seeded.demo) {
    const { admin, demo, keys } = seeded.demo;
    const active = keys.find((k) => k.state === "active")!;
    lines.push(
      "",
      "  Demo accounts (created just now; the passwords are shown this once):",
      `    admin      ${admin.email} / ${admin.password}`,
      `    demo user  ${demo.email} / ${demo.password}`,
      "",
      "  Demo keys (shown this once; only their hashes are stored):",
      ...keys.map((k) => `    ${k.state.padEnd(28)} ${k.plaintext}`),
      "",
      "  Verify a key:",
      `    curl -s -X POST ${env.APP_URL}/api/v1/keys/verify -H 'content-type: application/json' -d '{"key":"${active.plaintext}"}'`,
    );
  } else {
    lines.push(
      "",
      "  Verify a key (issue one at /keys):",
      `    curl -s -X POST ${env.APP_URL}/api/v1/keys/verify -H 'content-type: application/json' -d '{"key":"<your key>"}'`,
    );
    if (seeded.adminCreated) lines.push(`  Admin account created: ${seeded.adminCreated}`);
    else if (seeded.noAdmin) lines.push("  No admin yet: set ADMIN_EMAIL and ADMIN_PASSWORD, or run `npm run user:admin -- <email>` (README, Security).");
  }
  lines.push(
    "",
    "  Run the sweep (schedule this with cron, see README):",
    `    curl -s -X POST ${env.APP_URL}/api/cron/sweep -H "Authorization: Bearer ${
      process.env.CRON_SECRET ? "$CRON_SECRET" : `$(cat ${join(env.KEYWARD_DATA_DIR ?? ".data", "cron-secret")})`
    }"`,
    "",
  );
  console.log(lines.join("\n"));
}

void main();
