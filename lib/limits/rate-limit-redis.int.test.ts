// Rate limits across instances: three app servers on one PostgreSQL database, counting in the
// real Redis at 127.0.0.1:6379 (REDIS_URL). A 100-per-minute key hammered through all three at
// once is VALID exactly 100 times: one atomic script per verification, so no slack. Then Redis
// goes away (the relay in front of it is cut): verification goes on, counting in process, and
// no answer waits on the dead Redis for long.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openClient } from "@/prisma/seed/bootstrap";
import { seedKey, seedUser } from "@/prisma/seed/factories";
import { applyMigrations } from "@/prisma/tools/engine";
import type { AppServer } from "@/server/app-server";
import { redisAnswers } from "@/scripts/lib/redis-answers";
import { provisionTestDatabase, type TestDatabase } from "@/scripts/lib/test-database";
import { startInstances } from "@/test-support/app-instances";
import { startTcpProxy, type TcpProxy } from "@/test-support/tcp-proxy";
import { sleep } from "@/test-support/http";

const REDIS = { host: "127.0.0.1", port: 6379 };
const INSTANCES = 3;
const LIMIT = 100;

const postgres = process.env.TEST_DB_KIND === "postgres";
const redis = await redisAnswers(REDIS);
if (!redis) console.warn("[rate-limit-redis] no Redis at 127.0.0.1:6379: skipped (CI starts one)");

let db: TestDatabase | undefined;
let relay: TcpProxy | undefined;
let servers: AppServer[] = [];

beforeAll(async () => {
  if (!postgres || !redis) return;
  db = await provisionTestDatabase();
  await applyMigrations(db.url);
  relay = await startTcpProxy(REDIS);
  servers = await startInstances("redis", INSTANCES, db.url, { REDIS_URL: `redis://127.0.0.1:${relay.port}` });
}, 120_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await relay?.close();
  await db?.drop();
});

async function verifyAt(
  server: AppServer,
  key: string,
): Promise<{ code: string; ratelimit?: { resetAt: string }; resetAt?: string }> {
  const response = await fetch(`${server.url}/api/v1/keys/verify`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ key }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { code: string };
}

/** Waits until the current minute has at least `seconds` left, so a burst stays inside one window. */
async function awaitRoomInMinute(seconds: number): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < seconds * 1000) await sleep(left + 200);
}

describe.skipIf(!postgres || !redis)(`three instances sharing Redis, a ${LIMIT}-per-minute key`, () => {
  it(`is VALID exactly ${LIMIT} times when hammered through all three at once`, async () => {
    const client = openClient(db!.url);
    const owner = await seedUser(client);
    const key = await seedKey(client, { userId: owner.id });
    await client.apiKey.update({ where: { id: key.id }, data: { rateLimitMax: LIMIT, rateLimitWindowSeconds: 60 } });
    await client.$disconnect();

    await awaitRoomInMinute(30);
    // 450 verifications, 150 per instance, 10 in flight per instance.
    const answers = (
      await Promise.all(
        servers.flatMap((server) =>
          Array.from({ length: 10 }, async () => {
            const mine = [];
            for (let i = 0; i < 15; i++) mine.push(await verifyAt(server, key.plaintext));
            return mine;
          }),
        ),
      )
    ).flat();
    const valid = answers.filter((a) => a.code === "VALID");
    const limited = answers.filter((a) => a.code === "RATE_LIMITED");
    // One window: every answer names the same end of it.
    const windows = new Set(answers.map((a) => a.ratelimit?.resetAt ?? a.resetAt));
    console.log(
      `[rate-limit-redis] ${answers.length} verifications through ${INSTANCES} instances: ${valid.length} VALID, ${limited.length} RATE_LIMITED, windows ${[...windows].join(", ")}`,
    );
    expect(windows.size).toBe(1);
    expect(valid).toHaveLength(LIMIT);
    expect(limited).toHaveLength(answers.length - LIMIT);
  }, 60_000);

  it("keeps answering without Redis, counting in process, and never waits long for it", async () => {
    const client = openClient(db!.url);
    const owner = await seedUser(client);
    const key = await seedKey(client, { userId: owner.id });
    await client.apiKey.update({ where: { id: key.id }, data: { rateLimitMax: 5, rateLimitWindowSeconds: 3600 } });
    await client.$disconnect();

    await relay!.cut();
    const server = servers[0]!;
    const codes = [];
    let slowest = 0;
    for (let i = 0; i < 8; i++) {
      const started = performance.now();
      codes.push((await verifyAt(server, key.plaintext)).code);
      slowest = Math.max(slowest, performance.now() - started);
    }
    // The first may have waited on the dead connection (up to the 250 ms command timeout); then
    // the client knows Redis is gone and goes straight to the in-process count.
    expect(codes).toEqual([
      "VALID",
      "VALID",
      "VALID",
      "VALID",
      "VALID",
      "RATE_LIMITED",
      "RATE_LIMITED",
      "RATE_LIMITED",
    ]);
    expect(slowest).toBeLessThan(2000);
    await relay!.restore();
  }, 60_000);
});
