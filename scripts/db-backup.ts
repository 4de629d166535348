// npm run db:backup -- <file> – a consistent copy of the embedded database (and the secrets npm
// start keeps beside it), while Keyward runs or not: through the running server's socket, as
// npm run user:admin does, else opening the data folder here. See lib/backup/backup-file.ts.
// PostgreSQL (DATABASE_URL) is backed up with pg_dump: see the README, Backups and upgrades.
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import pg from "pg";
import { writeBackup } from "../lib/backup/backup-file";
import { openScriptDatabase } from "./lib/script-database";

const USAGE = "Usage: npm run db:backup -- <file>";
/** Files of the data folder that belong in a backup (lib/webhooks/secrets.ts: AUTH_SECRET decrypts the webhook secrets). */
const SECRET_FILES = ["auth-secret", "cron-secret"];

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.length !== 1 || args[0]!.startsWith("-")) throw new Error(USAGE);
  const file = resolve(process.env.INIT_CWD ?? process.cwd(), args[0]!);
  if (process.env.DATABASE_URL) {
    throw new Error(
      "DATABASE_URL is set: back up PostgreSQL with pg_dump (README, Backups and upgrades). npm run db:backup copies the embedded database.",
    );
  }
  const db = await openScriptDatabase();
  const dataDir = resolve(import.meta.dirname, "..", process.env.KEYWARD_DATA_DIR ?? ".data");
  const secrets: Record<string, string> = {};
  for (const name of SECRET_FILES) {
    const path = join(dataDir, name);
    if (existsSync(path)) secrets[name] = readFileSync(path, "utf8").trim();
  }
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL, application_name: "keyward-backup" });
  try {
    await client.connect();
    const summary = await writeBackup(client, file, secrets);
    console.log(
      `Backed up ${summary.rows} rows of ${summary.tables} tables${db.running ? " from the running server" : ""} into ${file} ` +
        `(${(summary.bytes / 1024 / 1024).toFixed(1)} MiB, ${(summary.ms / 1000).toFixed(1)} s).` +
        (Object.keys(secrets).length
          ? ` It holds ${Object.keys(secrets).join(" and ")}: keep it as safe as the data folder.`
          : " No secrets were in the data folder: keep AUTH_SECRET with it."),
    );
  } finally {
    await client.end().catch(() => undefined);
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(`db:backup: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
