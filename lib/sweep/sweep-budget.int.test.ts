// The sweep's time budget: a run that reaches it stops after the batch in hand and says what is
// left; the next runs continue the backlog (from where the walk stopped), every key still handled
// once, also when two instances continue it at the same time; the admin list shows the backlog
// as one sweep. Against the test database, in-process, plus the cron route's parameter.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { closeTestDb, seedKey, seedUser, testDb } from "@/test-support/db";
import { testEnv } from "@/test-support/env";
import { listSweeps } from "./list-sweeps";
import { runSweep, type SweepSummary } from "./run-sweep";
import { WALK_SPAN } from "./sweep-steps";

let owner: Awaited<ReturnType<typeof seedUser>>;
// Shorter than any batch: every run stops after its first one.
const TINY = 0.001;

beforeAll(async () => {
  owner = await seedUser(testDb());
  await runSweep({ trigger: "test", maxSeconds: 0 }); // start from a swept database
});
afterAll(async () => {
  // Leave no backlog behind for the next test file.
  await runSweep({ trigger: "test", maxSeconds: 0 });
  await closeTestDb();
  await prisma.$disconnect();
});

/**
 * Keys that expired in 2002, first in the expiry walk's order: a run's first batch reaches them
 * however many keys other files left expired (and blacklisted) since.
 */
async function seedExpired(n: number) {
  const db = testDb();
  return Promise.all(
    Array.from({ length: n }, (_, i) =>
      seedKey(db, { userId: owner.id, expiresAt: new Date(Date.UTC(2002, 0, 1) + i) }),
    ),
  );
}

async function expectHandledOnce(keyIds: string[]) {
  const db = testDb();
  expect(await db.blacklistedKey.count({ where: { keyId: { in: keyIds } } })).toBe(keyIds.length);
  // One event per key, hence one notice and one webhook each.
  expect(await db.keyEvent.count({ where: { keyId: { in: keyIds }, type: "EXPIRED" } })).toBe(keyIds.length);
}

describe("a sweep with a time budget", () => {
  it("stops after a batch with done: false and what is left; the next runs continue the same backlog", async () => {
    const keys = await seedExpired(25);
    const runs: SweepSummary[] = [];
    while (runs.length < 30 && runs.reduce((sum, r) => sum + r.expired, 0) < 25) {
      runs.push(await runSweep({ trigger: "test", batchSize: 10, maxSeconds: TINY }));
    }
    // The rest of the backlog (walking past the keys other files left blacklisted, WALK_SPAN a
    // batch) in one call without a budget.
    if (!runs.at(-1)?.done) runs.push(await runSweep({ trigger: "test", batchSize: 10, maxSeconds: 0 }));
    const [first, second] = runs;
    expect(first).toMatchObject({ done: false, expired: 10, batches: 1, maxSeconds: TINY });
    expect(first?.left).toMatchObject({
      steps: ["expire", "grace", "idle", "remind", "idleRemind", "notices", "purge", "purgeUsage", "queue", "deliver"],
      keysLeft: 15,
    });
    expect(second).toMatchObject({ done: false, expired: 10 });
    expect(second?.left?.keysLeft).toBe(5);
    expect(runs.at(-1)).toMatchObject({ done: true, left: null });
    expect(runs.reduce((sum, r) => sum + r.expired, 0)).toBe(25);
    // One backlog: every run names the first, and counts its place in it.
    expect(new Set(runs.map((r) => r.backlog.id))).toEqual(new Set([first?.runId]));
    expect(runs.map((r) => r.backlog.run)).toEqual(runs.map((_, i) => i + 1));
    await expectHandledOnce(keys.map((k) => k.id));

    // The admin list reads it as one sweep with the runs' sums.
    const page = await listSweeps({ page: 1, pageSize: 5 }, new Date());
    const backlog = page.items.find((item) => item.id === first?.runId);
    expect(backlog?.runs.map((r) => r.id)).toEqual(runs.map((r) => r.runId));
    expect(backlog).toMatchObject({ expired: 25, done: true, status: "SUCCEEDED", keysLeft: null });
    expect(page.items.filter((item) => runs.some((r) => r.runId === item.id))).toHaveLength(1);

    // The next run starts a backlog of its own.
    expect((await runSweep({ trigger: "test" })).backlog).toMatchObject({ run: 1 });
  });

  it("keeps every key once when two instances continue one backlog at the same time", async () => {
    const keys = await seedExpired(60);
    const started = await runSweep({ trigger: "test", batchSize: 7, maxSeconds: TINY });
    expect(started.done).toBe(false);
    // Two schedulers delivering each call twice: both continue from the same saved cursor.
    for (let i = 0; i < 40; i++) {
      const pair = await Promise.all([1, 2].map(() => runSweep({ trigger: "test", batchSize: 7, maxSeconds: TINY })));
      if (pair.every((r) => r.done)) break;
    }
    await runSweep({ trigger: "test", maxSeconds: 0 });
    await expectHandledOnce(keys.map((k) => k.id));
  }, 60_000);

  it("stops between emails too, when sending is all that is left", async () => {
    // Three owners, one expired key each: three emails, sent one per batch (batch size 1).
    const db = testDb();
    for (let i = 0; i < 3; i++) {
      const someone = await seedUser(db);
      await seedKey(db, { userId: someone.id, expiresAt: new Date(Date.UTC(2002, 0, 2)) });
    }
    // One batch per call: the expiry walk alone takes a call per WALK_SPAN keys other files left
    // blacklisted.
    const runs: SweepSummary[] = [];
    while (runs.length < 1000) {
      const summary = await runSweep({ trigger: "test", batchSize: 1, maxSeconds: TINY });
      runs.push(summary);
      if (summary.done) break;
    }
    const sending = runs.filter((r) => r.left?.steps[0] === "deliver");
    expect(sending.length).toBeGreaterThanOrEqual(1);
    for (const run of sending) expect(run.emailsSent + run.emailsFailed).toBeLessThanOrEqual(1);
    expect(runs.at(-1)?.done).toBe(true);
  }, 60_000);

  it("gets past a reminder window full of keys already reminded, however short the budget", async () => {
    // More reminded keys in the 7-day window than one batch walks (WALK_SPAN): reminders start
    // over in every call, so a call that stopped after walking one span of them stopped there in
    // every call, and the backlog never got past it.
    const db = testDb();
    await db.$executeRaw`
      INSERT INTO "ApiKey" (id, "userId", name, prefix, last4, hash, scopes, "createdAt", "expiresAt")
      SELECT gen_random_uuid()::text, ${owner.id}, 'reminded-' || i, 'kw_rmd', '0000', md5('reminded' || i || ${owner.id}) || md5(i::text),
             ARRAY['read'], now(), now() + interval '3 days' + i * interval '1 millisecond'
      FROM generate_series(1, ${WALK_SPAN + 500}::int) i`;
    await db.$executeRaw`
      INSERT INTO "KeyReminder" ("keyId", "windowDays", "dueAt") SELECT id, 7, now() FROM "ApiKey" WHERE "userId" = ${owner.id} AND name LIKE 'reminded-%'`;
    try {
      const runs: SweepSummary[] = [];
      while (runs.length < 200 && !runs.at(-1)?.done)
        runs.push(await runSweep({ trigger: "test", batchSize: 10, maxSeconds: TINY }));
      expect(runs.at(-1)?.done).toBe(true);
      expect(runs.filter((r) => r.left?.steps[0] === "remind").length).toBeLessThanOrEqual(1);
    } finally {
      await db.apiKey.deleteMany({ where: { userId: owner.id, name: { startsWith: "reminded-" } } });
    }
  }, 120_000);

  it("answers ?maxSeconds= over HTTP, validated and bounded", async () => {
    const call = (query: string) =>
      fetch(`${testEnv.baseUrl}/api/cron/sweep${query}`, {
        method: "POST",
        headers: { authorization: `Bearer ${testEnv.cronSecret}` },
      });
    for (const bad of [
      "?maxSeconds=0",
      "?maxSeconds=3601",
      "?maxSeconds=1.5",
      "?maxSeconds=soon",
      "?maxSeconds=10&x=1",
    ]) {
      expect((await call(bad)).status, bad).toBe(422);
    }
    // Refused without the secret before the query is even read.
    expect((await fetch(`${testEnv.baseUrl}/api/cron/sweep?maxSeconds=0`, { method: "POST" })).status).toBe(401);
    const ok = await call("?maxSeconds=30");
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ done: true, left: null, maxSeconds: 30 });
  });
});
