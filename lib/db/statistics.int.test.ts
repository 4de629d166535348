// The sweep refreshes the planner's statistics of the notices table once a large backlog has
// changed it by more rows than the statistics know of (bench:sweep: with "empty" statistics over a
// million fresh notices, gathering one owner's email took 40 s). PostgreSQL only: the embedded
// database keeps no activity counters to go by.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { runSweep } from "@/lib/sweep/run-sweep";
import { closeTestDb, seedUser, testDb } from "@/test-support/db";
import { testEnv } from "@/test-support/env";
import { sleep } from "@/test-support/http";
import { analyzeIfStale } from "./statistics";

const postgres = testEnv.dbKind === "postgres";

// Autovacuum may gather the statistics first (CI saw it), which resets the change counter these
// tests watch: kept off this table while they run.
beforeAll(async () => {
  if (postgres) await prisma.$executeRawUnsafe(`ALTER TABLE "Notification" SET (autovacuum_enabled = false)`);
});
afterAll(async () => {
  if (postgres) await prisma.$executeRawUnsafe(`ALTER TABLE "Notification" RESET (autovacuum_enabled)`);
  await closeTestDb();
  await prisma.$disconnect();
});

interface Stats {
  changed: number;
  analyzedAt: Date | null;
}

async function stats(): Promise<Stats> {
  const [row] = await prisma.$queryRaw<{ changed: bigint; analyzed_at: Date | null }[]>`
    SELECT n_mod_since_analyze AS changed, last_analyze AS analyzed_at FROM pg_stat_user_tables WHERE relid = '"Notification"'::regclass`;
  return { changed: Number(row!.changed), analyzedAt: row!.analyzed_at };
}

/** Activity counters reach pg_stat_user_tables when a backend goes idle, up to 10 s later. */
async function untilChanged(atLeast: number): Promise<Stats> {
  for (let i = 0; i < 150; i++) {
    const now = await stats();
    if (now.changed >= atLeast) return now;
    await sleep(100);
  }
  throw new Error(`the notices' change counter did not reach ${atLeast}`);
}

async function analyzedSince(when: Date): Promise<boolean> {
  const { analyzedAt } = await stats();
  return analyzedAt !== null && analyzedAt.getTime() > when.getTime();
}

/** How many rows the statistics think the notices table has (-1: never gathered). */
async function estimatedRows(): Promise<number> {
  const [row] = await prisma.$queryRaw<
    { rows: number }[]
  >`SELECT reltuples::float8 AS rows FROM pg_class WHERE oid = '"Notification"'::regclass`;
  return Math.max(0, row!.rows);
}

/**
 * Keys of one owner, expired a minute ago: the next sweep writes a notice for each. The owner
 * wants no email about them, so concurrent test files' sweeps queue none.
 */
async function expiredKeys(n: number): Promise<void> {
  const owner = await seedUser(testDb());
  await testDb().user.update({ where: { id: owner.id }, data: { emailExpired: false } });
  await testDb().$executeRaw`
    INSERT INTO "ApiKey" (id, "userId", name, prefix, last4, hash, scopes, "createdAt", "expiresAt")
    SELECT gen_random_uuid()::text, ${owner.id}, 'stale-' || i, 'kw_stat', lpad(i::text, 4, '0'), md5('stale' || i || ${owner.id}) || md5(i::text),
           ARRAY['read'], now() - interval '2 days', now() - interval '1 minute'
    FROM generate_series(1, ${n}::int) i`;
}

describe.skipIf(!postgres)("the notices table's statistics", () => {
  it("are gathered again once it changed by more rows than they counted, and not otherwise", async () => {
    await prisma.$executeRawUnsafe(`ANALYZE "Notification"`);
    const owner = await seedUser(testDb());
    await testDb().$executeRaw`
      INSERT INTO "Notification" (id, "userId", kind, "keyName", "keyMasked", "dedupeKey", "createdAt", "emailStatus")
      SELECT gen_random_uuid()::text, ${owner.id}, 'EXPIRED', 'k' || i, 'kw_x…' || i, 'stats:' || ${owner.id} || ':' || i, now(), 'SKIPPED'
      FROM generate_series(1, 200) i`;
    await untilChanged(200);
    expect(await analyzeIfStale("Notification", 100_000)).toBe(false); // fewer changes than the floor
    const rows = await estimatedRows();
    if (rows > 200) expect(await analyzeIfStale("Notification", 100)).toBe(false); // fewer than the table had
    const before = await stats();
    await testDb().$executeRaw`
      INSERT INTO "Notification" (id, "userId", kind, "keyName", "keyMasked", "dedupeKey", "createdAt", "emailStatus")
      SELECT gen_random_uuid()::text, ${owner.id}, 'EXPIRED', 'k' || i, 'kw_x…' || i, 'stats-more:' || ${owner.id} || ':' || i, now(), 'SKIPPED'
      FROM generate_series(1, ${Math.ceil(rows) + 1000}::int) i`;
    await untilChanged(before.changed + Math.ceil(rows) + 1000);
    expect(await analyzeIfStale("Notification", 100)).toBe(true);
    const after = await stats();
    expect(after.analyzedAt!.getTime()).toBeGreaterThan(before.analyzedAt!.getTime());
    expect(await analyzeIfStale("Notification", 100)).toBe(false);
  });

  it("are gathered by the sweep after a large backlog wrote its notices", async () => {
    await runSweep({ trigger: "test" }); // start from a swept database
    await prisma.$executeRawUnsafe(`ANALYZE "Notification"`);
    const { analyzedAt: analyzedFirst } = await stats();
    const rows = await estimatedRows();
    const keys = Math.max(10_000, Math.ceil(rows)) + 500;
    await expiredKeys(keys);
    const first = await runSweep({ trigger: "test" });
    expect(first.noticesRecorded).toBeGreaterThanOrEqual(keys);
    // The first run's check may already have seen the changes (and gathered the statistics), or
    // the counters may reach the statistics views only after it: then the next run gathers them.
    // Other files' sweeps run the same check; any of them gathering counts, since all go through
    // runSweep. More changes than the table had rows (other files' notices count in both).
    for (let i = 0; i < 150 && !(await analyzedSince(analyzedFirst!)); i++) {
      if ((await stats()).changed >= keys) await runSweep({ trigger: "test" });
      else await sleep(100);
    }
    expect((await stats()).analyzedAt!.getTime()).toBeGreaterThan(analyzedFirst!.getTime());
  }, 120_000);
});
