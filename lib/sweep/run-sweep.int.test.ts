// The sweep's crash safety and retention switch, in-process against the test database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { closeTestDb, seedKey, seedUser, testDb } from "@/test-support/db";
import { runSweep } from "./run-sweep";
import { expireBatch } from "./sweep-steps";

let owner: Awaited<ReturnType<typeof seedUser>>;

beforeAll(async () => {
  owner = await seedUser(testDb());
  await runSweep({ trigger: "test" }); // start from a swept database
});
afterAll(async () => {
  await closeTestDb();
  await prisma.$disconnect();
});

describe("runSweep", () => {
  it("leaves only whole batches when killed between them, and the next run finishes the job", async () => {
    const db = testDb();
    const keys = await Promise.all(
      Array.from({ length: 25 }, (_, i) => seedKey(db, { userId: owner.id, expiresAt: new Date(Date.now() - 1000 - i) })),
    );
    // A sweep that died after its first batch, with its run still marked RUNNING.
    expect(await expireBatch(new Date(), 10)).toMatchObject({ picked: 10, changed: 10, noticed: 10 });
    const dead = await db.sweepRun.create({
      data: { trigger: "test", startedAt: new Date(Date.now() - 2 * 3600_000), heartbeatAt: new Date(Date.now() - 2 * 3600_000) },
    });

    const summary = await runSweep({ trigger: "test", batchSize: 10 });
    expect(summary.expired).toBe(15);
    expect(summary.batches).toBeGreaterThanOrEqual(2);
    const reasons = await db.blacklistedKey.findMany({ where: { keyId: { in: keys.map((k) => k.id) } } });
    expect(reasons).toHaveLength(25);
    expect(new Set(reasons.map((r) => r.reason))).toEqual(new Set(["EXPIRED"]));
    expect(await db.sweepRun.findUnique({ where: { id: dead.id } })).toMatchObject({ status: "INTERRUPTED", finishedAt: dead.heartbeatAt });
  });

  it("keeps blacklisted keys forever when RETENTION_DAYS is 0", async () => {
    const db = testDb();
    const ancient = await seedKey(db, { userId: owner.id, blacklist: { reason: "REVOKED", at: new Date(Date.now() - 1000 * 86_400_000) } });
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
