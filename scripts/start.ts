// npm start – the quick start. With no DATABASE_URL: opens the embedded PostgreSQL (PGlite) in
// the data folder, generates and keeps AUTH_SECRET and CRON_SECRET there, migrates, seeds demo
// data into an empty database, builds if the sources changed, and serves the portal.
// With DATABASE_URL: the same, against that PostgreSQL (no demo data unless SEED_DEMO=true).
// In production it refuses a database that still holds the demo accounts (npm run db:remove-demo).
// Settings come from the environment and from .env files, read once, first, the way Next reads
// them, so that every step here and the server see one configuration.
import { resolve, join } from "node:path";
import nextEnv from "@next/env";
import { parseEnv } from "../lib/env-schema.mjs";
import { directDatabaseUrl } from "../lib/db/direct-url";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "../lib/db/embedded";
import { applyMigrations } from "../prisma/tools/engine";
import { bootstrapData, demoAccountsIn, demoAskedFor, wantsDemo, type BootstrapResult } from "../prisma/seed/bootstrap";
import { startAppServer, type AppServer } from "../server/app-server";
import { buildIfNeeded } from "./lib/build";
import { saveDemoCredentials } from "./lib/demo-credentials";
import { portInUse } from "./lib/port-in-use";
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
    // Before anything slow, and before any credentials are printed: a port held by another
    // program is the commonest way a second start fails.
    const host = env.HOST ?? "127.0.0.1";
    if (await portInUse(port, host)) {
      console.error(
        `\n[keyward] port ${port} is in use (another program listens there): stop it, or start on another port, e.g. PORT=${port + 1} npm start\n`,
      );
      process.exit(1);
    }
    if (!env.DATABASE_URL) {
      if (env.DATABASE_DIRECT_URL)
        throw new Error(
          "DATABASE_DIRECT_URL is set without DATABASE_URL: set both, or neither for the embedded database.",
        );
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

    // Demo passwords sit in some terminal's scroll-back: never serve them in production unasked.
    if (env.NODE_ENV === "production" && !demoAskedFor(env)) {
      const demo = await demoAccountsIn(env.DATABASE_URL);
      if (demo.length) {
        throw new Error(
          `this database still holds the demo accounts ${demo.join(" and ")}, whose passwords were printed when they were made. ` +
            "Remove them (and their keys and demo team) with `npm run db:remove-demo`, then start again; " +
            "or set SEED_DEMO=true to serve them on purpose.",
        );
      }
    }

    const seeded = await bootstrapData({
      databaseUrl: env.DATABASE_URL,
      demo: wantsDemo(env, embedded !== null),
      adminEmail: env.ADMIN_EMAIL,
      adminPassword: env.ADMIN_PASSWORD,
      env,
    });

    if (seeded.demo) {
      saveDemoCredentials(dataDir, [
        { label: "admin", ...seeded.demo.admin },
        { label: "demo user", ...seeded.demo.demo },
      ]);
    }
    if (!dev) await buildIfNeeded(root, env);
    app = await startAppServer({ root, port, env, dev, host });
    app.child.once("exit", (code) => void stop(code ?? 1));
    printBanner(env, seeded, embedded);
  } catch (error) {
    console.error(`\n[keyward] could not start: ${error instanceof Error ? error.message : String(error)}\n`);
    await app?.stop();
    await embedded?.close();
    process.exit(1);
  }
}

function printBanner(env: NodeJS.ProcessEnv, seeded: BootstrapResult, embedded: EmbeddedDatabase | null) {
  const lines = [
    "",
    `  Keyward is running at ${env.APP_URL}`,
    `  Database: ${embedded ? `embedded PostgreSQL (PGlite) in ${env.KEYWARD_DATA_DIR ?? ".data"}/pglite` : "DATABASE_URL"}`,
    ...(embedded ? [`    look inside while it runs: psql "host=${embedded.socketDir} user=postgres"`] : []),
  ];
  if (seeded.demo) {
    const { admin, demo, keys } = seeded.demo;
    const active = keys.find((k) => k.state === "active")!;
    lines.push(
      "",
      "  Demo accounts (created just now; `npm run demo:credentials` shows them again until changed):",
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
    else if (seeded.noAdmin)
      lines.push("  No admin yet: run `npm run user:admin -- you@example.com` beside this server (README, Security).");
  }
  lines.push("", "  Run the sweep (schedule it with cron: README, The sweep):", "    npm run sweep", "");
  console.log(lines.join("\n"));
}

void main();
