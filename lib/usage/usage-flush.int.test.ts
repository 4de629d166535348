// The usage flush's transaction against the real database: instances flushing the same keys and
// hours at once all count (nothing lost, nothing doubled), in the keys' counters and in their sums
// site-wide and per owner alike, without deadlocking each other; a key purged between its
// verification and the flush is skipped instead of failing everyone else's counts.
import { afterAll, describe, expect, it } from "vitest";
import { closeTestDb, seedKey, seedTeam, seedUser, testDb } from "@/test-support/db";
import { HOUR_MS, USAGE_OUTCOMES, type UsageOutcome } from "./usage-outcomes";
import { UsageRecorder } from "./usage-recorder";

afterAll(closeTestDb);

async function hourly(keyId: string) {
  const rows = await testDb().keyUsageHour.findMany({
    where: { keyId },
    orderBy: [{ hour: "asc" }, { outcome: "asc" }],
  });
  return rows.map((r) => `${r.hour.toISOString()} ${r.outcome} ${r.count}`);
}

/**
 * Hours far in the future, a different stretch for each test: no other test file writes usage
 * there, so the site-wide sums of these hours are this test's alone.
 */
function unusedHours(count: number): number[] {
  const start = (Math.floor(Date.now() / HOUR_MS) + 24 * (1 + Math.floor(Math.random() * 1_000_000))) * HOUR_MS;
  return Array.from({ length: count }, (_, i) => start + i * HOUR_MS);
}

/** `owner hour outcome count` lines of UsageSumHour ("" = site-wide) for these hours. */
async function sums(hours: number[], owners: string[]) {
  const rows = await testDb().usageSumHour.findMany({
    where: { hour: { in: hours.map((h) => new Date(h)) }, ownerId: { in: owners } },
  });
  return rows.map((r) => `${r.ownerId} ${r.hour.toISOString()} ${r.outcome} ${r.count}`).sort();
}

/** The same lines summed from the keys' hourly counters (owner "" = every key). */
async function summedCounters(hours: number[], owners: string[]) {
  const rows = await testDb().$queryRaw<{ owner: string; hour: Date; outcome: string; n: bigint }[]>`
    SELECT CASE WHEN GROUPING(COALESCE(k."userId", k."teamId")) = 1 THEN '' ELSE COALESCE(k."userId", k."teamId") END AS owner,
           u.hour, u.outcome::text AS outcome, sum(u.count)::bigint AS n
    FROM "KeyUsageHour" u JOIN "ApiKey" k ON k.id = u."keyId"
    WHERE u.hour = ANY(${hours.map((h) => new Date(h))}::timestamptz[])
    GROUP BY GROUPING SETS ((u.hour, u.outcome), (COALESCE(k."userId", k."teamId"), u.hour, u.outcome))`;
  return rows
    .filter((r) => owners.includes(r.owner))
    .map((r) => `${r.owner} ${r.hour.toISOString()} ${r.outcome} ${r.n}`)
    .sort();
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
        for (let n = 0; n < 10; n++)
          instance.record(key.id, hour + i * 1000 + n, "VALID", i === 2 ? `203.0.113.${n}` : null);
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
      const row = await db.apiKey.findUniqueOrThrow({
        where: { id: key.id },
        select: { usageCount: true, lastUsedAt: true, lastClientIp: true },
      });
      expect(row.usageCount).toBe(30n);
      expect(row.lastUsedAt!.getTime()).toBe(hour + 2000 + 9);
      expect(row.lastClientIp).toBe("203.0.113.9");
    }
  });

  it("keeps the sums, site-wide and per owner, equal to the keys' counters while instances flush the same keys and hours at once", async () => {
    const db = testDb();
    const people = await Promise.all([seedUser(db), seedUser(db), seedUser(db)]);
    const team = await seedTeam(db, { owner: people[0]!.id });
    const owners = [...people.map((p) => ({ userId: p.id })), { teamId: team.id, issuedById: people[1]!.id }];
    const keys = await Promise.all(
      Array.from({ length: 24 }, async (_, i) => {
        const owner = owners[i % owners.length]!;
        return { ...(await seedKey(db, owner)), owner: "teamId" in owner ? owner.teamId : owner.userId };
      }),
    );
    const hours = unusedHours(3);
    const ownerIds = ["", ...people.map((p) => p.id), team.id];
    const expected = new Map<string, number>();
    const add = (owner: string, hour: number, outcome: UsageOutcome, n: number) => {
      for (const who of ["", owner]) {
        const line = `${who} ${new Date(hour).toISOString()} ${outcome}`;
        expected.set(line, (expected.get(line) ?? 0) + n);
      }
    };
    // Five instances, each answering about every key in every hour with a different mix of
    // outcomes, flushing all at once, three times over: the same rows are added to concurrently.
    const instances = Array.from({ length: 5 }, () => new UsageRecorder());
    for (let round = 0; round < 3; round++) {
      instances.forEach((instance, i) => {
        keys.forEach((key, k) => {
          for (const hour of hours) {
            const outcome = USAGE_OUTCOMES[(i + k + round) % 3 === 0 ? 0 : (i * 7 + k) % USAGE_OUTCOMES.length]!;
            const n = 1 + ((i + k + hour / HOUR_MS) % 4);
            for (let j = 0; j < n; j++) instance.record(key.id, hour + j, outcome);
            add(key.owner, hour, outcome, n);
          }
        });
      });
      await Promise.all(instances.map((instance) => instance.flush()));
      // A failed flush (a deadlock among them) keeps its counts for a retry: none may be left.
      for (const instance of instances) expect(instance.size).toBe(0);
    }

    const lines = [...expected].map(([line, n]) => `${line} ${n}`).sort();
    expect(await sums(hours, ownerIds)).toEqual(lines);
    expect(await summedCounters(hours, ownerIds)).toEqual(lines);
    // Per key and hour, every answer and the refusals: the sums of its counters.
    const ids = keys.map((k) => k.id);
    const counters = await db.keyUsageHour.findMany({ where: { keyId: { in: ids } } });
    const byKeyHour = new Map<string, [bigint, bigint]>();
    for (const c of counters) {
      const line = `${c.keyId} ${c.hour.toISOString()}`;
      const [answers, refused] = byKeyHour.get(line) ?? [0n, 0n];
      byKeyHour.set(line, [answers + c.count, refused + (c.outcome === "VALID" ? 0n : c.count)]);
    }
    const totals = await db.keyUsageHourTotal.findMany({ where: { keyId: { in: ids } } });
    expect(totals.map((t) => `${t.keyId} ${t.hour.toISOString()} ${t.answers} ${t.refused}`).sort()).toEqual(
      [...byKeyHour].map(([line, [answers, refused]]) => `${line} ${answers} ${refused}`).sort(),
    );
    expect(totals).toHaveLength(keys.length * hours.length);
  });

  it("skips a key purged before the flush, and writes the others", async () => {
    const db = testDb();
    const owner = await seedUser(db);
    const [kept, purged] = [await seedKey(db, { userId: owner.id }), await seedKey(db, { userId: owner.id })];
    const instance = new UsageRecorder();
    const [hour] = unusedHours(1) as [number];
    instance.record(kept.id, hour, "VALID");
    instance.record(purged.id, hour, "VALID");
    instance.record(purged.id, hour, "EXPIRED");
    await db.apiKey.delete({ where: { id: purged.id } });
    await instance.flush();
    expect(instance.size).toBe(0);
    expect(await hourly(kept.id)).toHaveLength(1);
    expect(await db.keyUsageHour.count({ where: { keyId: purged.id } })).toBe(0);
    // Neither are its answers in the sums: they count what the counters hold.
    const at = new Date(hour).toISOString();
    expect(await sums([hour], ["", owner.id])).toEqual([` ${at} VALID 1`, `${owner.id} ${at} VALID 1`]);
  });

  it("keeps a deleted key's answers in the sums, with the owner it had: the site's history stays", async () => {
    const db = testDb();
    const [before, after] = [await seedUser(db), await seedUser(db)];
    const key = await seedKey(db, { userId: before.id });
    const [hour] = unusedHours(1) as [number];
    const instance = new UsageRecorder();
    instance.record(key.id, hour, "VALID");
    instance.record(key.id, hour, "REVOKED");
    await instance.flush();
    // The key moves to another owner (a later flush counts there), then is deleted.
    await db.apiKey.update({ where: { id: key.id }, data: { userId: after.id } });
    instance.record(key.id, hour + 1, "VALID");
    await instance.flush();
    await db.apiKey.delete({ where: { id: key.id } });
    expect(await db.keyUsageHour.count({ where: { keyId: key.id } })).toBe(0);
    const at = new Date(hour).toISOString();
    expect(await sums([hour], ["", before.id, after.id])).toEqual(
      [
        ` ${at} REVOKED 1`,
        ` ${at} VALID 2`,
        `${after.id} ${at} VALID 1`,
        `${before.id} ${at} REVOKED 1`,
        `${before.id} ${at} VALID 1`,
      ].sort(),
    );
  });
});
