import { Client } from "pg";
import { afterEach, describe, expect, it, vi } from "vitest";
import { provisionTestDatabase } from "./test-database";

const ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres";

async function databaseExists(name: string): Promise<boolean> {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    const result = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    return result.rowCount === 1;
  } finally {
    await client.end();
  }
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("provisionTestDatabase", { timeout: 30_000 }, () => {
  it("creates a fresh database on TEST_DATABASE_URL and drops it, connections and all", async () => {
    vi.stubEnv("TEST_DATABASE_URL", ADMIN_URL);
    const db = await provisionTestDatabase();
    expect(db.kind).toBe("postgres");
    const name = new URL(db.url).pathname.slice(1);
    expect(name).toMatch(/^keyward_test_\d+_[0-9a-f]{8}$/);
    expect(db.url).toBe(`postgres://postgres@127.0.0.1:5432/${name}`);
    expect(await databaseExists(name)).toBe(true);

    // Left connected on purpose: drop() must not be blocked by it.
    const leftover = new Client({ connectionString: db.url });
    // pg reports the termination, then the closed socket: keep both from going unhandled.
    const leftoverErrors: Error[] = [];
    leftover.on("error", (error) => leftoverErrors.push(error));
    await leftover.connect();
    const current = await leftover.query("SELECT current_database() AS name");
    expect(current.rows[0].name).toBe(name);

    await db.drop();
    expect(await databaseExists(name)).toBe(false);
    await vi.waitFor(() => expect(leftoverErrors[0]?.message).toMatch(/terminat/));
  });

  it("refuses a TEST_DATABASE_URL on another machine, without echoing its password", async () => {
    vi.stubEnv("TEST_DATABASE_URL", "postgres://admin:s3cret@db.example.com:5432/postgres");
    vi.stubEnv("KEYWARD_ALLOW_REMOTE_TEST_DB", undefined);
    const attempt = provisionTestDatabase();
    await expect(attempt).rejects.toThrow(/"db\.example\.com".*KEYWARD_ALLOW_REMOTE_TEST_DB=1/s);
    await expect(attempt).rejects.not.toThrow(/s3cret/);
  });

  it("falls back to an in-memory embedded database without TEST_DATABASE_URL", async () => {
    vi.stubEnv("TEST_DATABASE_URL", undefined);
    const db = await provisionTestDatabase();
    try {
      expect(db.kind).toBe("embedded");
      const client = new Client({ connectionString: db.url });
      await client.connect();
      try {
        const result = await client.query("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'");
        expect(result.rows[0].n).toBe(0);
      } finally {
        await client.end();
      }
    } finally {
      await db.drop();
    }
  });
});
