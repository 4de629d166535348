// The sweep over real HTTP (and, for crash safety, its steps in-process) on the test database.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { closeTestDb, seedKey, seedUser, testDb } from "@/test-support/db";
import { expectProblemShape, sweep, verify } from "@/test-support/http";

const DAY = 86_400_000;
let owner: Awaited<ReturnType<typeof seedUser>>;

beforeAll(async () => {
  owner = await seedUser(testDb());
});
afterAll(closeTestDb);
// Other test files leave expired keys behind; start each test from a swept database.
beforeEach(async () => {
  expect((await sweep()).status).toBe(200);
});

async function reasonOf(keyId: string) {
  return (await testDb().blacklistedKey.findUnique({ where: { keyId } }))?.reason ?? null;
}

describe("/api/cron/sweep", () => {
  it("refuses without the secret, with a wrong one, and with a Basic header", async () => {
    for (const secret of ["", "wrong-secret-wrong-secret"]) {
      const response = await sweep(secret);
      expect(response.status).toBe(401);
      expectProblemShape(response.body, 401);
    }
    const basic = await fetch(`${process.env.KEYWARD_TEST_BASE_URL}/api/cron/sweep`, {
      method: "POST",
      headers: { authorization: `Basic ${process.env.CRON_SECRET}` },
    });
    expect(basic.status).toBe(401);
  });

  it("blacklists exactly the expired keys, and a second run changes nothing", async () => {
    const db = testDb();
    const expired = await Promise.all(
      [1, 2, 3].map((i) => seedKey(db, { userId: owner.id, expiresAt: new Date(Date.now() - i * 1000) })),
    );
    const active = await seedKey(db, { userId: owner.id, expiresAt: new Date(Date.now() + 60_000) });
    const never = await seedKey(db, { userId: owner.id, expiresAt: null });
    const revoked = await seedKey(db, {
      userId: owner.id,
      expiresAt: new Date(Date.now() - 5000),
      blacklist: { reason: "REVOKED" },
    });

    const first = await sweep();
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ expired: 3 });
    for (const key of expired) expect(await reasonOf(key.id)).toBe("EXPIRED");
    expect(await reasonOf(active.id)).toBeNull();
    expect(await reasonOf(never.id)).toBeNull();
    expect(await reasonOf(revoked.id)).toBe("REVOKED");
    // Swept keys still say EXPIRED (not NOT_FOUND, not REVOKED).
    expect((await verify(expired[0]!.plaintext)).body.code).toBe("EXPIRED");

    const second = await sweep(undefined, "GET");
    expect(second.body).toMatchObject({ expired: 0, rotated: 0, remindersRecorded: 0, purged: 0 });
    const run = await db.sweepRun.findUnique({ where: { id: String(first.body.runId) } });
    expect(run).toMatchObject({ status: "SUCCEEDED", expired: 3 });
  });

  it("blacklists rotated keys as ROTATED once their grace period has ended", async () => {
    const db = testDb();
    const replacement = await seedKey(db, { userId: owner.id });
    const old = await seedKey(db, {
      userId: owner.id,
      graceEndsAt: new Date(Date.now() - 1000),
      replacedById: replacement.id,
    });
    const inGrace = await seedKey(db, { userId: owner.id, graceEndsAt: new Date(Date.now() + 60_000) });
    expect((await sweep()).body).toMatchObject({ rotated: 1 });
    expect(await reasonOf(old.id)).toBe("ROTATED");
    expect(await reasonOf(inGrace.id)).toBeNull();
  });

  it("records each due reminder once, for the window the key is in", async () => {
    const db = testDb();
    const inSeven = await seedKey(db, { userId: owner.id, expiresAt: new Date(Date.now() + 6 * DAY + 20 * 3600_000) });
    const inOne = await seedKey(db, { userId: owner.id, expiresAt: new Date(Date.now() + 20 * 3600_000) });
    const later = await seedKey(db, { userId: owner.id, expiresAt: new Date(Date.now() + 8 * DAY) });
    expect((await sweep()).body).toMatchObject({ remindersRecorded: 2 });
    expect((await sweep()).body).toMatchObject({ remindersRecorded: 0 });
    const windows = async (keyId: string) =>
      (await db.keyReminder.findMany({ where: { keyId }, select: { windowDays: true } })).map((r) => r.windowDays);
    expect(await windows(inSeven.id)).toEqual([7]);
    expect(await windows(inOne.id)).toEqual([1]);
    expect(await windows(later.id)).toEqual([]);
  });

  it("purges keys blacklisted longer ago than RETENTION_DAYS (90) and keeps younger ones", async () => {
    const db = testDb();
    const old = await seedKey(db, {
      userId: owner.id,
      blacklist: { reason: "EXPIRED", at: new Date(Date.now() - 91 * DAY) },
    });
    const young = await seedKey(db, {
      userId: owner.id,
      blacklist: { reason: "LEAKED", at: new Date(Date.now() - 89 * DAY) },
    });
    expect((await sweep()).body).toMatchObject({ purged: 1 });
    expect(await db.apiKey.findUnique({ where: { id: old.id } })).toBeNull();
    expect(await db.apiKey.findUnique({ where: { id: young.id } })).not.toBeNull();
    // Purged after the retention period: now it is NOT_FOUND, as PRODUCT.md says.
    expect((await verify(old.plaintext)).body.code).toBe("NOT_FOUND");
  });

  it("two sweeps started at the same moment blacklist each key and record each reminder exactly once", async () => {
    const db = testDb();
    const N = 2500;
    const now = Date.now();
    await db.apiKey.createMany({
      data: Array.from({ length: N }, (_, i) => ({
        userId: owner.id,
        name: `bulk-${i}`,
        hash: `bulk-expired-${now}-${i}`,
        prefix: "kw_bulk",
        last4: "0000",
        scopes: ["read"],
        expiresAt: new Date(now - 1000 - i),
      })),
    });
    await db.apiKey.createMany({
      data: Array.from({ length: N }, (_, i) => ({
        userId: owner.id,
        name: `bulk-soon-${i}`,
        hash: `bulk-soon-${now}-${i}`,
        prefix: "kw_bulk",
        last4: "0000",
        scopes: ["read"],
        expiresAt: new Date(now + 3 * DAY + i * 1000),
      })),
    });
    const [a, b] = await Promise.all([sweep(), sweep()]);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(Number(a.body.expired) + Number(b.body.expired)).toBe(N);
    expect(Number(a.body.remindersRecorded) + Number(b.body.remindersRecorded)).toBe(N);
    const blacklisted = await db.blacklistedKey.count({ where: { key: { name: { startsWith: "bulk-" } } } });
    expect(blacklisted).toBe(N);
    const reminders = await db.keyReminder.count({ where: { key: { name: { startsWith: "bulk-soon-" } } } });
    expect(reminders).toBe(N);
    await db.apiKey.deleteMany({ where: { name: { startsWith: "bulk-" } } });
  });
});
