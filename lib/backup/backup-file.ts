// A backup of Keyward's embedded database: every row of every table, read in one snapshot (a
// REPEATABLE READ transaction) through an ordinary connection, so it is consistent however busy
// the running server is, and never a copy of files mid-write. Logical rather than a copy of
// PGlite's data folder: it restores into whatever PostgreSQL the Keyward of that day embeds.
//
// The file: gzip'd lines. A line that is a JSON array is a marker; one that is an object is a row
// (row_to_json of the table named by the last marker, so every type survives: arrays, enums,
// jsonb, bigints as written, timestamps with their zone).
//   ["keyward-backup", {version, createdAt, migrations, tables, secrets}]
//   ["table", "ApiKey"]   then one line per row
//   ["end", {tables, rows}]   (absent: the file is cut short, and restoring refuses it)
// It holds the secrets of the data folder (AUTH_SECRET encrypts the webhook signing secrets), so
// it is written 0600, like the folder's own files.
import "server-only";
import { once } from "node:events";
import { createReadStream, createWriteStream, renameSync, rmSync, statSync } from "node:fs";
import { createInterface } from "node:readline";
import { pipeline } from "node:stream/promises";
import { PassThrough } from "node:stream";
import { createGunzip, createGzip } from "node:zlib";
import type pg from "pg";

export const BACKUP_FORMAT = "keyward-backup";
export const BACKUP_VERSION = 1;
const MIGRATIONS_TABLE = "_prisma_migrations";
/** Rows per FETCH while reading, and per INSERT while restoring. */
const BATCH_ROWS = 2000;

export interface BackupHeader {
  version: number;
  createdAt: string;
  /** The migrations the rows were read under: a restore rebuilds exactly this schema. */
  migrations: string[];
  tables: string[];
  /** Files of the data folder besides the database (auth-secret, cron-secret). */
  secrets: Record<string, string>;
}

export interface BackupSummary {
  tables: number;
  rows: number;
  bytes: number;
  ms: number;
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Writes the backup of the database `client` is connected to into `file` (replaced only once complete). */
export async function writeBackup(
  client: pg.Client,
  file: string,
  secrets: Record<string, string>,
): Promise<BackupSummary> {
  const started = Date.now();
  const partial = `${file}.partial`;
  const gzip = createGzip({ level: 6 });
  const written = pipeline(gzip, createWriteStream(partial, { mode: 0o600 }));
  const write = async (line: string) => {
    if (!gzip.write(`${line}\n`)) await once(gzip, "drain");
  };
  let rows = 0;
  let tables: string[] = [];
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const migrations = await client.query<{ migration_name: string; finished: boolean }>(
      `SELECT migration_name, finished_at IS NOT NULL AND rolled_back_at IS NULL AS finished FROM ${MIGRATIONS_TABLE} ORDER BY migration_name`,
    );
    const unfinished = migrations.rows.filter((m) => !m.finished).map((m) => m.migration_name);
    if (unfinished.length)
      throw new Error(
        `a migration is not finished (${unfinished.join(", ")}): start Keyward once so that it completes, then back up.`,
      );
    tables = (
      await client.query<{ tablename: string }>(
        `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> $1 ORDER BY tablename`,
        [MIGRATIONS_TABLE],
      )
    ).rows.map((r) => r.tablename);
    const header: BackupHeader = {
      version: BACKUP_VERSION,
      createdAt: new Date().toISOString(),
      migrations: migrations.rows.map((m) => m.migration_name),
      tables,
      secrets,
    };
    await write(JSON.stringify([BACKUP_FORMAT, header]));
    for (const table of tables) {
      await write(JSON.stringify(["table", table]));
      await client.query(
        `DECLARE keyward_backup NO SCROLL CURSOR FOR SELECT row_to_json(t)::text AS r FROM ${quoteIdent(table)} t`,
      );
      for (;;) {
        const batch = await client.query<{ r: string }>(`FETCH ${BATCH_ROWS} FROM keyward_backup`);
        for (const row of batch.rows) await write(row.r);
        rows += batch.rows.length;
        if (batch.rows.length < BATCH_ROWS) break;
      }
      await client.query("CLOSE keyward_backup");
    }
    await client.query("COMMIT");
    await write(JSON.stringify(["end", { tables: tables.length, rows }]));
    gzip.end();
    await written;
    renameSync(partial, file);
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    gzip.destroy();
    await written.catch(() => undefined);
    rmSync(partial, { force: true });
    throw error;
  }
  return { tables: tables.length, rows, bytes: statSync(file).size, ms: Date.now() - started };
}

type Line = { kind: "marker"; name: string; value: unknown } | { kind: "row"; text: string };

async function* lines(file: string): AsyncGenerator<Line> {
  const source = createReadStream(file);
  const text = new PassThrough();
  const reading = pipeline(source, createGunzip(), text);
  // Awaited below when read to the end; a reader that stops early (the header) ends it instead.
  reading.catch(() => undefined);
  const reader = createInterface({ input: text, crlfDelay: Infinity });
  try {
    for await (const line of reader) {
      if (line === "") continue;
      if (line.startsWith("[")) {
        const [name, value] = JSON.parse(line) as [string, unknown];
        yield { kind: "marker", name, value };
      } else {
        yield { kind: "row", text: line };
      }
    }
    await reading;
  } catch (error) {
    throw new Error(
      `${file} is not a readable Keyward backup: ${error instanceof Error ? error.message : String(error)}`,
    );
  } finally {
    reader.close();
    source.destroy();
  }
}

/** The backup's header: what it holds and the schema it was read under. */
export async function readBackupHeader(file: string): Promise<BackupHeader> {
  for await (const line of lines(file)) {
    if (line.kind === "marker" && line.name === BACKUP_FORMAT) {
      const header = line.value as BackupHeader;
      if (header.version !== BACKUP_VERSION)
        throw new Error(
          `${file} is a backup of version ${header.version}; this Keyward reads version ${BACKUP_VERSION}.`,
        );
      return header;
    }
    break;
  }
  throw new Error(`${file} is not a Keyward backup (npm run db:backup writes them).`);
}

/**
 * Inserts the backup's rows into the database `client` is connected to, whose schema the
 * backup's migrations have just built and whose tables are empty. One transaction: all or
 * nothing. Foreign keys are not checked while loading (the rows were consistent when read, and
 * tables referring to each other cannot otherwise be loaded), which needs a superuser: the
 * embedded database's only user is one.
 */
export async function restoreBackup(
  client: pg.Client,
  file: string,
): Promise<{ tables: number; rows: number; ms: number }> {
  const started = Date.now();
  let table: string | undefined;
  let batch: string[] = [];
  let rows = 0;
  let end: { tables: number; rows: number } | undefined;
  const flush = async () => {
    if (!batch.length || !table) return;
    const t = quoteIdent(table);
    await client.query(`INSERT INTO ${t} SELECT * FROM json_populate_recordset(NULL::${t}, $1::json)`, [
      `[${batch.join(",")}]`,
    ]);
    rows += batch.length;
    batch = [];
  };
  await client.query("BEGIN");
  try {
    await client.query("SET LOCAL session_replication_role = replica");
    for await (const line of lines(file)) {
      if (line.kind === "row") {
        if (!table) throw new Error(`${file}: a row before any table.`);
        batch.push(line.text);
        if (batch.length >= BATCH_ROWS) await flush();
        continue;
      }
      await flush();
      if (line.name === "table") table = line.value as string;
      else if (line.name === "end") end = line.value as { tables: number; rows: number };
    }
    if (!end)
      throw new Error(
        `${file} is cut short (no end marker): it was not written completely, and restoring it would lose rows.`,
      );
    if (end.rows !== rows) throw new Error(`${file} says it holds ${end.rows} rows, but ${rows} were read.`);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
  return { tables: end.tables, rows, ms: Date.now() - started };
}
