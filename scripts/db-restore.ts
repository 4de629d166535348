// npm run db:restore -- <file> – a backup from npm run db:backup into an empty data folder
// (KEYWARD_DATA_DIR, default .data): rebuilds the schema the rows were read under (the backup's
// migrations), loads the rows, and puts back the secrets that were kept beside the database. The
// next npm start applies the migrations made since, as after any upgrade. Refuses a folder that
// already holds a database, or one a Keyward is serving: nothing is ever overwritten.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import nextEnv from "@next/env";
import pg from "pg";
import { readBackupHeader, restoreBackup } from "../lib/backup/backup-file";
import { startEmbeddedDatabase } from "../lib/db/embedded";
import { applyMigrations } from "../prisma/tools/engine";

const root = resolve(import.meta.dirname, "..");
const USAGE =
  "Usage: npm run db:restore -- <file>   (into KEYWARD_DATA_DIR, default .data, which must hold no database)";

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.length !== 1 || args[0]!.startsWith("-")) throw new Error(USAGE);
  const file = resolve(process.env.INIT_CWD ?? process.cwd(), args[0]!);
  if (!existsSync(file)) throw new Error(`${file} does not exist. ${USAGE}`);
  nextEnv.loadEnvConfig(resolve(process.env.KEYWARD_CONFIG_DIR ?? root), false, { info() {}, error: console.error });
  if (process.env.DATABASE_URL) {
    throw new Error(
      "DATABASE_URL is set: npm run db:restore restores the embedded database. Restore PostgreSQL with pg_restore (README, Backups and upgrades).",
    );
  }
  const dataDir = resolve(root, process.env.KEYWARD_DATA_DIR ?? ".data");
  const pgliteDir = join(dataDir, "pglite");
  if (existsSync(pgliteDir) && readdirSync(pgliteDir).length > 0) {
    throw new Error(
      `${pgliteDir} already holds a database. Restore into an empty data folder (KEYWARD_DATA_DIR=/new/folder npm run db:restore -- ${args[0]}), or move this one away first.`,
    );
  }
  const header = await readBackupHeader(file);
  console.log(
    `Restoring a backup of ${header.createdAt} (${header.tables.length} tables, ${header.migrations.length} migrations) into ${dataDir}…`,
  );

  // The lock startEmbeddedDatabase takes keeps a server from starting on the folder meanwhile.
  process.umask(0o077);
  const db = await startEmbeddedDatabase({ dataDir: pgliteDir });
  try {
    await applyMigrations(db.url, { only: header.migrations });
    const client = new pg.Client({ connectionString: db.url, application_name: "keyward-restore" });
    await client.connect();
    try {
      const restored = await restoreBackup(client, file);
      console.log(
        `Restored ${restored.rows} rows of ${restored.tables} tables (${(restored.ms / 1000).toFixed(1)} s).`,
      );
    } finally {
      await client.end();
    }
  } finally {
    await db.close();
  }
  for (const [name, value] of Object.entries(header.secrets)) {
    const path = join(dataDir, name);
    if (!existsSync(path)) writeFileSync(path, `${value}\n`, { mode: 0o600 });
    else if (readFileSync(path, "utf8").trim() !== value)
      console.warn(
        `Kept ${path}, which differs from the backup's ${name}: move it away and restore again to use the backup's.`,
      );
  }
  if (!header.secrets["auth-secret"])
    console.log(
      "The backup holds no auth-secret: start with the AUTH_SECRET the backed-up Keyward had (webhook signing secrets are encrypted with it).",
    );
  console.log("Start Keyward on this folder (npm start): it applies the migrations made since the backup.");
}

main().catch((error: unknown) => {
  console.error(`db:restore: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
