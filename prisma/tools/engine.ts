// Offline migrations for Keyward through Prisma's WebAssembly schema engine: the same engine as
// `prisma migrate`, writing the same `_prisma_migrations` table, so a machine with the native
// engine sees the same history. The Prisma CLI cannot migrate here (it downloads a native engine).
//
// Applying runs on the real database through stock @prisma/adapter-pg. Authoring (diff, create)
// replays the migrations folder into throwaway in-memory PGlite databases: adapter-pg cannot read
// a live schema ("Column type 'char' could not be deserialized") and would create its shadow
// databases on the target server.
import pg from "pg";
import { createAuthoringAdapterFactory, createDeployAdapterFactory } from "./adapter-factories";
import {
  MIGRATIONS_DIR,
  readMigrationsList,
  readSchema,
  SCHEMA_PATH,
  toMigrationSlug,
  writeMigration,
} from "./migrations-folder";
import { withSchemaEngine } from "./schema-engine";

// Keyward keeps nothing outside its own tables: no table or enum is managed elsewhere.
const NO_FILTERS = { externalTables: [], externalEnums: [] };
// A table the migrations must have created; its absence means they did not really run.
const SENTINEL_TABLE = "ApiKey";

export type Log = (line: string) => void;

/**
 * Applies every migration in prisma/migrations not yet recorded in the database's
 * `_prisma_migrations` (what `prisma migrate deploy` does), then checks the result.
 * Idempotent. Returns the names applied by this call. All connections are closed on return.
 */
export async function applyMigrations(
  databaseUrl: string,
  opts: {
    log?: Log;
    /**
     * Only these migrations (the first ones of the folder, as a backup or an older release
     * recorded them): a restore rebuilds the schema its rows were read from, and the next start
     * applies the rest. Each must exist in the folder.
     */
    only?: string[];
  } = {},
): Promise<{ applied: string[] }> {
  const migrationsList = await readMigrationsList();
  if (opts.only) {
    const known = new Set(migrationsList.migrationDirectories.map((directory) => directory.path));
    const unknown = opts.only.filter((name) => !known.has(name));
    if (unknown.length) throw new Error(`Unknown migrations (made by a newer Keyward?): ${unknown.join(", ")}.`);
    const wanted = new Set(opts.only);
    migrationsList.migrationDirectories = migrationsList.migrationDirectories.filter((directory) =>
      wanted.has(directory.path),
    );
  }
  const names = migrationsList.migrationDirectories.map((directory) => directory.path);
  if (names.length === 0) throw new Error(`No migrations found in ${MIGRATIONS_DIR}.`);

  let applied: string[];
  try {
    const output = await withSchemaEngine(
      createDeployAdapterFactory(databaseUrl),
      { schemaPath: SCHEMA_PATH, schemaText: await readSchema(), log: opts.log },
      (engine) => engine.applyMigrations({ migrationsList, filters: NO_FILTERS }),
    );
    applied = output.appliedMigrationNames;
  } catch (error) {
    throw new Error(`Applying migrations failed: ${errorMessage(error)}`, { cause: error });
  }

  await verifyApplied(databaseUrl, names);
  return { applied };
}

/**
 * The SQL that would bring the schema built by prisma/migrations to prisma/schema.prisma (or
 * to `schemaText`, when given). Empty when they agree.
 */
export async function diffMigrationsToSchema(opts: { schemaText?: string; log?: Log } = {}): Promise<string> {
  const schemaText = opts.schemaText ?? (await readSchema());
  const migrationsList = await readMigrationsList();
  const result = await withSchemaEngine(
    createAuthoringAdapterFactory(),
    { schemaPath: SCHEMA_PATH, schemaText, log: opts.log },
    (engine) =>
      engine.diff({
        from: { tag: "migrations", ...migrationsList },
        to: { tag: "schemaDatamodel", files: [{ path: SCHEMA_PATH, content: schemaText }] },
        script: true,
        // exitCode 2 means "there is a difference": the engine's own verdict, so an in-sync
        // result needs no parsing of its "-- This is an empty migration." comment.
        exitCode: true,
        filters: NO_FILTERS,
      }),
  );
  return result.exitCode === 2 ? (result.stdout ?? "") : "";
}

/**
 * Writes prisma/migrations/<timestamp>_<name>/migration.sql for the changes in
 * prisma/schema.prisma since the last migration, as `prisma migrate dev --create-only` would
 * (plus migration_lock.toml if missing). Returns the folder's path, or null when the schema
 * and the migrations already agree.
 */
export async function createMigration(name: string, opts: { log?: Log } = {}): Promise<string | null> {
  const slug = toMigrationSlug(name);
  if (slug === "") throw new Error(`Migration name ${JSON.stringify(name)} has no letters or digits.`);
  const schemaText = await readSchema();
  const migrationsList = await readMigrationsList();

  const output = await withSchemaEngine(
    createAuthoringAdapterFactory(),
    { schemaPath: SCHEMA_PATH, schemaText, log: opts.log },
    async (engine) => {
      // createMigration cannot open a shadow database itself ("PostgreSQL shadow DB must be
      // provided through an external factory"): it reuses the schema devDiagnostic caches when it
      // replays the migrations applied to the main database into a shadow one. So, as in
      // `migrate dev`: bring the throwaway main database up to date, diagnose, then create.
      await engine.applyMigrations({ migrationsList, filters: NO_FILTERS });
      const { action } = await engine.devDiagnostic({ migrationsList, filters: NO_FILTERS });
      if (action.tag === "reset") throw new Error(`Cannot create a migration: ${action.reason}`);
      return engine.createMigration({
        // draft: false, so "nothing changed" yields no migration instead of an empty one.
        draft: false,
        migrationName: slug,
        migrationsList,
        schema: { files: [{ path: SCHEMA_PATH, content: schemaText }] },
        filters: NO_FILTERS,
      });
    },
  );
  if (output.migrationScript === null) return null;
  return writeMigration(output.generatedMigrationName, output.extension, output.migrationScript);
}

type MigrationRow = { migration_name: string; finished_at: Date | null; rolled_back_at: Date | null };

async function readMigrationRows(databaseUrl: string): Promise<{ rows: MigrationRow[]; hasSentinel: boolean }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const sentinel = await client.query<{ found: boolean }>("SELECT to_regclass($1) IS NOT NULL AS found", [
      `"${SENTINEL_TABLE}"`,
    ]);
    const migrations = await client.query<{ found: boolean }>(
      "SELECT to_regclass('_prisma_migrations') IS NOT NULL AS found",
    );
    const rows = migrations.rows[0]?.found
      ? (await client.query<MigrationRow>("SELECT migration_name, finished_at, rolled_back_at FROM _prisma_migrations"))
          .rows
      : [];
    return { rows, hasSentinel: sentinel.rows[0]?.found === true };
  } finally {
    await client.end();
  }
}

// Trust, but verify: the engine reports what it ran, not whether the database now has it.
async function verifyApplied(databaseUrl: string, names: string[]): Promise<void> {
  const { rows, hasSentinel } = await readMigrationRows(databaseUrl);
  const finished = new Set(
    rows.filter((row) => row.finished_at !== null && row.rolled_back_at === null).map((row) => row.migration_name),
  );
  const missing = names.filter((name) => !finished.has(name));
  if (missing.length > 0) {
    throw new Error(`Migrations not recorded as finished in _prisma_migrations: ${missing.join(", ")}.`);
  }
  if (!hasSentinel) {
    throw new Error(`Migrations are recorded as applied, but table "${SENTINEL_TABLE}" does not exist.`);
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
