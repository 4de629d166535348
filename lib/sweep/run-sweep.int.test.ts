// The sweep's crash safety and retention switch, in-process against the test database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { closeTestDb, seedKey, seedUser, testDb } from "@/test-support/db";
import { runSweep } from "./run-sweep";
import type { BatchResult, Cursor } from "@/lib/db/batch";
import { expireBatch, remindBatch } from "./sweep-steps";

let owner: Awaited<ReturnType<typeof seedUser>>;

beforeAll(async () => {
  owner = await seedUser(testDb());
  await runSweep({ trigger: "test" }); // start from a swept database
});
afterAll(async () => {
  await closeTestDb();
  await prisma.$disconnect();
});

/** Runs a step's batches from `from` until one walks nothing or the cursor passes `until`. */
async function walk(step: (after: Cursor) => Promise<BatchResult>, from: Cursor, until: Date): Promise<BatchResult[]> {
  const batches: BatchResult[] = [];
  for (let after = from; ;) {
    const batch = await step(after);
    if (batch.picked === 0) break;
    batches.push(batch);
    after = batch.cursor!;
    if (after.at.getTime() >= until.getTime()) break;
    if (batches.length > 100) throw new Error("the walk did not end");
  }
  return batches;
}

describe("runSweep", () => {
  it("leaves only whole batches when killed between them, and the next run finishes the job", async () => {
    const db = testDb();
    const start = Date.now();
    const keys = await Promise.all(
      Array.from({ length: 25 }, (_, i) => seedKey(db, { userId: owner.id, expiresAt: new Date(start - 1000 - i) })),
    );
    // A sweep that died after its first batch, with its run still marked RUNNING. (The batch
    // starts just before these keys: from the start, it would first walk past keys blacklisted
    // earlier.)
    const beforeThem = { at: new Date(start - 1000 - 30), id: "" };
    expect(await expireBatch(new Date(), 10, beforeThem)).toMatchObject({ picked: 10, changed: 10, noticed: 10 });
    const dead = await db.sweepRun.create({
      data: {
        trigger: "test",
        startedAt: new Date(Date.now() - 2 * 3600_000),
        heartbeatAt: new Date(Date.now() - 2 * 3600_000),
      },
    });

    const summary = await runSweep({ trigger: "test", batchSize: 10 });
    expect(summary.expired).toBe(15);
    expect(summary.batches).toBeGreaterThanOrEqual(2);
    const reasons = await db.blacklistedKey.findMany({ where: { keyId: { in: keys.map((k) => k.id) } } });
    expect(reasons).toHaveLength(25);
    expect(new Set(reasons.map((r) => r.reason))).toEqual(new Set(["EXPIRED"]));
    expect(await db.sweepRun.findUnique({ where: { id: dead.id } })).toMatchObject({
      status: "INTERRUPTED",
      finishedAt: dead.heartbeatAt,
    });
  });

  it("walks past keys already blacklisted in batches that look at no more than a span of keys each", async () => {
    const db = testDb();
    // 50 expired keys already blacklisted, then 3 due ones after them in the walk's order (in
    // 2001: nothing else in the database expired then).
    const base = Date.UTC(2001, 0, 1);
    for (let i = 0; i < 50; i++) {
      await seedKey(db, { userId: owner.id, expiresAt: new Date(base + i), blacklist: { reason: "EXPIRED" } });
    }
    const due = await Promise.all(
      [0, 1, 2].map((i) => seedKey(db, { userId: owner.id, expiresAt: new Date(base + 86_400_000 + i) })),
    );
    const batches = await walk(
      (after) => expireBatch(new Date(), 5, after, 10),
      { at: new Date(base - 1), id: "" },
      due.at(-1)!.expiresAt!,
    );
    // Each batch stops at the 10th key it looks at (or at 5 due ones). Before, the first batch
    // walked past all 50 blacklisted keys to reach the 3 due ones.
    expect(batches[0]).toMatchObject({ changed: 0 });
    expect(batches.length).toBe(6);
    expect(batches.reduce((n, b) => n + b.changed, 0)).toBe(3);
    expect(await db.blacklistedKey.count({ where: { keyId: { in: due.map((k) => k.id) }, reason: "EXPIRED" } })).toBe(
      3,
    );
  });

  it("walks past keys already reminded the same way", async () => {
    const db = testDb();
    const now = new Date();
    const inThreeDays = now.getTime() + 3 * 86_400_000 + 17 * 60_000;
    for (let i = 0; i < 30; i++) {
      const key = await seedKey(db, { userId: owner.id, expiresAt: new Date(inThreeDays + i) });
      await db.keyReminder.create({ data: { keyId: key.id, windowDays: 7, dueAt: now } });
    }
    const due = await Promise.all(
      [0, 1].map((i) => seedKey(db, { userId: owner.id, expiresAt: new Date(inThreeDays + 1000 + i) })),
    );
    const batches = await walk(
      (after) => remindBatch(now, 7, 1, 5, after, 10),
      { at: new Date(inThreeDays - 1), id: "" },
      due.at(-1)!.expiresAt!,
    );
    expect(batches[0]).toMatchObject({ changed: 0 });
    expect(batches.length).toBe(4);
    expect(batches.reduce((n, b) => n + b.changed, 0)).toBe(2);
  });

  it("keeps blacklisted keys forever when RETENTION_DAYS is 0", async () => {
    const db = testDb();
    const ancient = await seedKey(db, {
      userId: owner.id,
      blacklist: { reason: "REVOKED", at: new Date(Date.now() - 1000 * 86_400_000) },
    });
    expect((await runSweep({ trigger: "test", retentionDays: 0 })).purged).toBe(0);
    expect(await db.apiKey.findUnique({ where: { id: ancient.id } })).not.toBeNull();
    expect((await runSweep({ trigger: "test", retentionDays: 90 })).purged).toBeGreaterThanOrEqual(1);
    expect(await db.apiKey.findUnique({ where: { id: ancient.id } })).toBeNull();
  });

  it("records a failed run when a step throws, and rethrows", async () => {
    await expect(runSweep({ trigger: "test", batchSize: -1 })).rejects.toThrow();
    const last = await testDb().sweepRun.findFirst({ orderBy: { startedAt: "desc" } });
    expect(last).toMatchObject({ status: "FAILED" });
    expect(last?.error).toBeTruthy();
  });
});
