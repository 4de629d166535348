// Many instances on one database: three app servers on one PostgreSQL database, each with a pool
// of 3. Under verify load that misses the cache (every request a query), the database never sees
// more of Keyward's connections than the README's budget (pool size × instances + one listener
// each), and a key revoked on one instance is refused by all three within 1 second. The servers
// get a database of their own, so pg_stat_activity counts only theirs.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKey } from "@/lib/keys/format";
import { openClient } from "@/prisma/seed/bootstrap";
import { seedKey, seedUser } from "@/prisma/seed/factories";
import { applyMigrations } from "@/prisma/tools/engine";
import type { AppServer } from "@/server/app-server";
import { provisionTestDatabase, type TestDatabase } from "@/scripts/lib/test-database";
import { startInstances } from "@/test-support/app-instances";
import { signIn, sleep, verify } from "@/test-support/http";

const INSTANCES = 3;
const POOL_SIZE = 3;
/** README, "Many instances on one database": pool × instances + one LISTEN connection each. */
const BUDGET = POOL_SIZE * INSTANCES + INSTANCES;
const postgres = process.env.TEST_DB_KIND === "postgres";

let db: TestDatabase | undefined;
let servers: AppServer[] = [];

beforeAll(async () => {
  if (!postgres) return;
  db = await provisionTestDatabase();
  await applyMigrations(db.url);
  servers = await startInstances("budget", INSTANCES, db.url, {
    DATABASE_POOL_SIZE: String(POOL_SIZE),
    KEY_CACHE_SYNC: "notify",
    KEY_CACHE_TTL_MS: "30000",
  });
}, 120_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await db?.drop();
});

/** Keyward's connections to this database now (the pool, the listener, a sweep's lock), by name. */
async function keywardConnections(monitor: pg.Client): Promise<Record<string, number>> {
  const { rows } = await monitor.query<{ name: string; n: number }>(
    `SELECT application_name AS name, count(*)::int AS n FROM pg_stat_activity
     WHERE datname = current_database() AND application_name LIKE 'keyward%' GROUP BY 1`,
  );
  return Object.fromEntries(rows.map((r) => [r.name, r.n]));
}

describe.skipIf(!postgres)("three instances on one PostgreSQL, pool size 3 each", () => {
  it("stay within the connection budget under load, and all refuse a revoked key within 1 s", async () => {
    const client = openClient(db!.url);
    const owner = await seedUser(client);
    const key = await seedKey(client, { userId: owner.id });
    await client.$disconnect();
    // Cached on every instance first, so only the change notice can make them refuse it.
    for (const server of servers) {
      for (let i = 0; i < 2; i++) expect((await verify(key.plaintext, undefined, server.url)).body.code).toBe("VALID");
    }

    const monitor = new pg.Client({ connectionString: db!.url, application_name: "budget-monitor" });
    await monitor.connect();
    let peak = 0;
    let peakByName: Record<string, number> = {};
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const now = await keywardConnections(monitor);
        const total = Object.values(now).reduce((a, b) => a + b, 0);
        if (total > peak) [peak, peakByName] = [total, now];
        await sleep(25);
      }
    })();

    // Load: unknown (well-formed) keys, each one a database query, 6 at a time per instance: twice
    // the pool, so every pool is full and requests queue for a connection.
    let loading = true;
    let answered = 0;
    const load = servers.flatMap((server) =>
      Array.from({ length: 6 }, async () => {
        while (loading) {
          const response = await verify(generateKey("kw").plaintext, undefined, server.url);
          expect(response.status).toBe(200);
          answered += 1;
        }
      }),
    );
    await sleep(1500);

    // Revoke on the first instance, under that load; the clock starts when it has committed.
    const session = await signIn(owner.email, owner.password, servers[0]!.url);
    const requestedAt = Date.now();
    expect((await session.request("POST", `/api/v1/keys/${key.id}/revoke`, {})).status).toBe(200);
    const revokedAt = Date.now();
    const seen = await Promise.all(
      servers.map(async (server) => {
        while (Date.now() - revokedAt < 5000) {
          if ((await verify(key.plaintext, undefined, server.url)).body.code === "REVOKED")
            return Date.now() - revokedAt;
          await sleep(10);
        }
        return Infinity;
      }),
    );

    await sleep(1500);
    loading = false;
    await Promise.all(load);
    sampling = false;
    await sampler;
    await monitor.end();
    console.log(
      `[budget] ${answered} verifications; revoke answered in ${revokedAt - requestedAt} ms; peak ${peak} Keyward connections (budget ${BUDGET}): ${JSON.stringify(peakByName)}; ` +
        `revocation seen after ${seen.map((ms) => `${ms} ms`).join(", ")}`,
    );
    for (const ms of seen) expect(ms).toBeLessThanOrEqual(1000);
    expect(peak).toBeLessThanOrEqual(BUDGET);
    // The load reached the pools (otherwise the budget proves nothing): more than the listeners.
    expect(peak).toBeGreaterThan(INSTANCES);
    expect(peakByName["keyward-listener"]).toBe(INSTANCES);
  }, 120_000);
});
