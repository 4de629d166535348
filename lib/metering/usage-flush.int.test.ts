// The usage flush's one statement against the real database: two instances flushing the same
// keys and hours at once both count (nothing lost, nothing doubled), and a key purged between
// its verification and the flush is skipped instead of failing everyone else's counts.
import { afterAll, describe, expect, it } from "vitest";
import { closeTestDb, seedKey, seedUser, testDb } from "@/test-support/db";
import { HOUR_MS } from "./usage-outcomes";
import { USAGE_MAX_PENDING, UsageRecorder } from "./usage-recorder";

afterAll(closeTestDb);


async function hourly(keyId: string) {
  const rows = await testDb().keyUsageHour.findMany({ where: { keyId }, orderBy: [{ hour: "asc" }, { outcome: "asc" }] });
  return rows.map((r) => `${r.hour.toISOString()} ${r.outcome} ${r.count}`);
}

describe("the usage flush", () => {
  it("adds up what several instances flush for the same keys and hours at once", async () => {
    const db = testDb();
    const owner = await seedUser(db);
    const keys = await Promise.all(Array.from({ length: 20 }, () => seedKey(db, { userId: owner.id })));
    const hour = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
    const instances = [new UsageRecorder(), new UsageRecorder(), new UsageRecorder()];
    instances.forEach((instance, i) => {
      for (const key of keys) {
        for (let n = 0; n < 10; n++) instance.record(key.id, hour + i * 1000 + n, "VALID", i === 2 ? `203.0.113.${n}` : null);
        instance.record(key.id, hour - HOUR_MS + 5, "RATE_LIMITED");
        instance.record(key.id, hour + 7, "IP_NOT_ALLOWED");
      }
    });
    await Promise.all(instances.map((instance) => instance.flush()));

    for (const key of keys) {
      expect(await hourly(key.id)).toEqual([
        `${new Date(hour - HOUR_MS).toISOString()} RATE_LIMITED 3`,
        `${new Date(hour).toISOString()} VALID 30`,
        `${new Date(hour).toISOString()} IP_NOT_ALLOWED 3`,
      ]);
      const row = await db.apiKey.findUniqueOrThrow({ where: { id: key.id }, select: { usageCount: true, lastUsedAt: true, lastClientIp: true } });
      expect(row.usageCount).toBe(30n);
      expect(row.lastUsedAt!.getTime()).toBe(hour + 2000 + 9);
      expect(row.lastClientIp).toBe("203.0.113.9");
    }
  });

  it("skips a key purged before the flush, and writes the others", async () => {
    const db = testDb();
    const owner = await seedUser(db);
    const [kept, purged] = [await seedKey(db, { userId: owner.id }), await seedKey(db, { userId: owner.id })];
    const instance = new UsageRecorder();
    const now = Date.now();
    instance.record(kept.id, now, "VALID");
    instance.record(purged.id, now, "VALID");
    instance.record(purged.id, now, "EXPIRED");
    await db.apiKey.delete({ where: { id: purged.id } });
    await instance.flush();
    expect(instance.size).toBe(0);
    expect(await hourly(kept.id)).toHaveLength(1);
    expect(await db.keyUsageHour.count({ where: { keyId: purged.id } })).toBe(0);
  });
});
