// The offline migration tool against a real PostgreSQL (TEST_DATABASE_URL, or the local server
// with trust auth) and against the committed prisma/migrations and prisma/schema.prisma.
import { randomBytes } from "node:crypto";
import { readdir } from "node:fs/promises";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations, createMigration, diffMigrationsToSchema } from "./engine";
import { MIGRATIONS_DIR, readMigrationsList, readSchema } from "./migrations-folder";

const ADMIN_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
// Each engine session starts in-memory PGlite databases (about 2 s each on a small machine).
const ENGINE_TIMEOUT = 60_000;

async function asAdmin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

describe("applyMigrations", () => {
  // Lowercase hex only: safe to splice into CREATE DATABASE, which takes no parameters.
  const database = `keyward_mig_${randomBytes(6).toString("hex")}`;
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;

  beforeAll(() => asAdmin(`CREATE DATABASE ${database}`));
  afterAll(() => asAdmin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));

  it(
    "applies every migration once, and nothing on a second run",
    async () => {
      const expected = (await readMigrationsList()).migrationDirectories.map((directory) => directory.path);
      expect(expected.length).toBeGreaterThan(0);

      const first = await applyMigrations(url.href);
      expect(first.applied).toEqual(expected);
      const second = await applyMigrations(url.href);
      expect(second.applied).toEqual([]);

      const client = new pg.Client({ connectionString: url.href });
      await client.connect();
      try {
        const { rows } = await client.query<{
          migration_name: string;
          finished_at: Date | null;
          rolled_back_at: Date | null;
        }>("SELECT migration_name, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY migration_name");
        expect(rows.map((row) => row.migration_name)).toEqual(expected);
        for (const row of rows) {
          expect(row.finished_at).toBeInstanceOf(Date);
          expect(row.rolled_back_at).toBeNull();
        }
        const tables = await client.query<{ found: boolean }>(`SELECT to_regclass('"ApiKey"') IS NOT NULL AS found`);
        expect(tables.rows[0]?.found).toBe(true);
      } finally {
        await client.end();
      }
    },
    ENGINE_TIMEOUT,
  );

  it(
    "fails with the reason when the database does not exist",
    async () => {
      const unreachable = new URL(url.href);
      unreachable.pathname = `/${database}_missing`;
      await expect(applyMigrations(unreachable.href)).rejects.toThrow(/Applying migrations failed: .*does not exist/);
    },
    ENGINE_TIMEOUT,
  );
});

describe("drift between prisma/schema.prisma and prisma/migrations", () => {
  it(
    "finds nothing to change for the committed schema",
    async () => {
      expect(await diffMigrationsToSchema()).toBe("");
    },
    ENGINE_TIMEOUT,
  );

  it(
    "finds the SQL for a column the migrations do not have",
    async () => {
      const schema = await readSchema();
      const withExtraColumn = schema.replace(/^model ApiKey \{$/m, "model ApiKey {\n  driftProbe String?");
      expect(withExtraColumn).not.toBe(schema);

      const sql = await diffMigrationsToSchema({ schemaText: withExtraColumn });
      expect(sql).toMatch(/ALTER TABLE "ApiKey" ADD COLUMN\s+"driftProbe" TEXT;/);
    },
    ENGINE_TIMEOUT,
  );

  it(
    "creates no migration when there is nothing to migrate",
    async () => {
      const before = await readdir(MIGRATIONS_DIR);
      expect(await createMigration("nothing to do")).toBeNull();
      expect(await readdir(MIGRATIONS_DIR)).toEqual(before);
    },
    ENGINE_TIMEOUT,
  );
});
