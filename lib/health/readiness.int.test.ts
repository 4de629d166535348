// GET /api/ready against real broken parts: a database that does not answer, one whose migration
// history lacks the last migration, a Redis port nobody listens on, and the LISTEN connection
// killed by PostgreSQL (pg_terminate_backend) and coming back by itself. /api/health stays
// liveness: it answers while readiness fails for anything but the database.
import { randomBytes } from "node:crypto";
import { Client } from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "@/server/free-port";
import { redisAnswers } from "@/scripts/lib/redis-answers";
import type { AppServer } from "@/server/app-server";
import { startInstances } from "@/test-support/app-instances";
import { testEnv } from "@/test-support/env";
import { provisionTestDatabase, type TestDatabase } from "@/scripts/lib/test-database";
import { applyMigrations } from "@/prisma/tools/engine";
import { sleep } from "@/test-support/http";

interface Readiness {
  ready: boolean;
  failing: string[];
  checks: Record<string, { ok: boolean; detail?: string }>;
}

const started: AppServer[] = [];
const databases: TestDatabase[] = [];
afterAll(async () => {
  for (const app of started) await app.stop();
  for (const db of databases) await db.drop();
});

async function ready(baseUrl: string): Promise<{ status: number; body: Readiness }> {
  const response = await fetch(`${baseUrl}/api/ready`);
  expect(response.headers.get("content-type")).toContain("application/json");
  expect(response.headers.get("cache-control")).toBe("no-store");
  return { status: response.status, body: (await response.json()) as Readiness };
}

/**
 * The answer once `failing` is `expected`, within a few seconds: a server that has just started
 * is not ready until its LISTEN connection is up (and its Redis client connected), a moment later.
 */
async function settled(baseUrl: string, expected: string[]): Promise<{ status: number; body: Readiness }> {
  let answer = await ready(baseUrl);
  for (
    let waited = 0;
    JSON.stringify(answer.body.failing) !== JSON.stringify(expected) && waited < 8000;
    waited += 100
  ) {
    await sleep(100);
    answer = await ready(baseUrl);
  }
  return answer;
}

async function instance(
  name: string,
  databaseUrl: string,
  env: Record<string, string | undefined> = {},
): Promise<AppServer> {
  const [app] = await startInstances(name, 1, databaseUrl, env);
  started.push(app!);
  return app!;
}

const postgres = testEnv.dbKind === "postgres";

describe("GET /api/ready", () => {
  it("is 200 with every part named when everything answers", async () => {
    const { status, body } = await ready(testEnv.baseUrl);
    expect(status).toBe(200);
    expect(body.ready).toBe(true);
    expect(body.failing).toEqual([]);
    expect(Object.keys(body.checks).sort()).toEqual(["database", "listen", "migrations", "redis"]);
    for (const check of Object.values(body.checks)) expect(check.ok).toBe(true);
    // The main test server has no Redis; on PostgreSQL its key cache listens for changes.
    expect(body.checks.redis!.detail).toContain("not used");
    if (postgres) expect(body.checks.listen!.detail).toBeUndefined();
  });

  it("is 503 naming the database (and what depends on it) when the database does not answer; /api/health is 503 too", async () => {
    const { status, body } = await ready(testEnv.downUrl);
    expect(status).toBe(503);
    expect(body.ready).toBe(false);
    expect(body.failing).toContain("database");
    expect(body.failing).toContain("migrations");
    expect(body.failing).not.toContain("redis");
    expect(body.checks.database!.detail).toBeTruthy();
    expect((await fetch(`${testEnv.downUrl}/api/health`)).status).toBe(503);
  });

  it("is 503 naming redis, and only redis, when REDIS_URL points where nothing listens; 200 with a real Redis", async () => {
    const nothing = await freePort();
    const app = await instance("ready-no-redis", testEnv.databaseUrl, { REDIS_URL: `redis://127.0.0.1:${nothing}` });
    const { status, body } = await settled(app.url, ["redis"]);
    expect(status).toBe(503);
    expect(body.failing).toEqual(["redis"]);
    expect(body.checks.redis!.detail).toContain("does not answer");
    // Liveness is not readiness: the process serves.
    expect((await fetch(`${app.url}/api/health`)).status).toBe(200);
    expect((await fetch(`${app.url}/api/ping`)).status).toBe(200);

    if (!(await redisAnswers())) return; // CI starts one; without it only the failing half is proved
    const withRedis = await instance("ready-redis", testEnv.databaseUrl, { REDIS_URL: "redis://127.0.0.1:6379" });
    const answer = await settled(withRedis.url, []);
    expect(answer.body.failing).toEqual([]);
    expect(answer.status).toBe(200);
    expect(answer.body.checks.redis).toEqual({ ok: true });
  });

  it.skipIf(!postgres)(
    "is 503 naming migrations when the database lacks the last migration, and 200 once it is applied",
    async () => {
      const db = await provisionTestDatabase();
      databases.push(db);
      const { applied } = await applyMigrations(db.url);
      const last = applied.sort().at(-1)!;
      const client = new Client({ connectionString: db.url });
      await client.connect();
      try {
        // The history as a database one release behind has it: without the last migration's row.
        const { rowCount } = await client.query("DELETE FROM _prisma_migrations WHERE migration_name = $1", [last]);
        expect(rowCount).toBe(1);
        const app = await instance("ready-migrations", db.url);
        const { status, body } = await settled(app.url, ["migrations"]);
        expect(status).toBe(503);
        expect(body.failing).toEqual(["migrations"]);
        expect(body.checks.migrations!.detail).toContain(last);
        expect(body.checks.database).toEqual({ ok: true });
        // An unfinished (failed) migration is not an applied one either.
        await client.query(
          "INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, 'x', $2, now(), 0)",
          [randomBytes(16).toString("hex"), last],
        );
        expect((await ready(app.url)).body.failing).toEqual(["migrations"]);
        await client.query(
          "UPDATE _prisma_migrations SET finished_at = now(), applied_steps_count = 1 WHERE migration_name = $1",
          [last],
        );
        expect((await ready(app.url)).status).toBe(200);
      } finally {
        await client.end();
      }
    },
  );

  it.skipIf(!postgres)(
    "is 503 naming listen while PostgreSQL has killed the LISTEN connection, and 200 again once it reconnected",
    async () => {
      // The instance's direct connection (LISTEN's) carries a name of its own, so that only its
      // backend is terminated, not the other servers' of this run.
      const name = `kw-ready-${randomBytes(4).toString("hex")}`;
      const direct = new URL(testEnv.databaseUrl);
      direct.searchParams.set("application_name", name);
      const app = await instance("ready-listen", testEnv.databaseUrl, { DATABASE_DIRECT_URL: direct.toString() });
      expect((await settled(app.url, [])).status).toBe(200);

      const admin = new Client({ connectionString: testEnv.databaseUrl });
      await admin.connect();
      try {
        const killed = await admin.query<{ done: boolean }>(
          "SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE application_name = $1",
          [name],
        );
        expect(killed.rows.map((r) => r.done)).toEqual([true]);
        // The listener notices at once and reconnects after 500 ms: readiness fails meanwhile.
        let down: Readiness | null = null;
        for (let waited = 0; waited < 2000 && !down; waited += 20) {
          const { status, body } = await ready(app.url);
          if (status === 503) down = body;
          else await sleep(20);
        }
        expect(down?.failing).toEqual(["listen"]);
        expect(down?.checks.listen!.detail).toContain("LISTEN");
        // …and recovers by itself, with a new backend.
        expect((await settled(app.url, [])).status).toBe(200);
        const again = await admin.query("SELECT 1 FROM pg_stat_activity WHERE application_name = $1", [name]);
        expect(again.rowCount).toBe(1);
      } finally {
        await admin.end();
      }
    },
  );
});
