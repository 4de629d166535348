// Idle keys (KEY_IDLE_DAYS) and the usage counters' retention, on the test database: sweeps run
// in-process with a time-travelling `now` and their step options passed in (the test server's
// own sweeps run with KEY_IDLE_DAYS unset, i.e. off). Reminder emails go through a real SMTP
// server; verification is asked over HTTP.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { createMailer } from "@/lib/notify/mailer";
import { addHourlyCounts } from "@/lib/usage/hourly-counts";
import { closeTestDb, seedKey, seedUser, testDb } from "@/test-support/db";
import { testEnv } from "@/test-support/env";
import { sleep, verify } from "@/test-support/http";
import { startTestSmtp, type TestSmtp } from "@/test-support/smtp";
import { runSweep } from "./run-sweep";
import { LOCK, windowLock } from "./sweep-steps";

const DAY = 86_400_000;
const HOUR = 3_600_000;
const IDLE_DAYS = 90;
let smtp: TestSmtp;

beforeAll(async () => {
  smtp = await startTestSmtp();
  await runSweep({ trigger: "test", mailer: createMailer(undefined, "x") }); // clear other files' backlog
});
afterAll(async () => {
  await smtp.close();
  await closeTestDb();
  await prisma.$disconnect();
});

const mailer = () => createMailer(smtp.url, "Keyward <keyward@test.local>");
const sweepAt = (now: Date, options: { idleDays?: number; batchSize?: number } = {}) =>
  runSweep({ trigger: "idle-test", now, mailer: mailer(), reminderDays: [7, 1], idleDays: IDLE_DAYS, ...options });

const blacklistOf = (keyId: string) => testDb().blacklistedKey.findUnique({ where: { keyId } });
const idleEvents = (keyId: string) =>
  testDb().keyEvent.findMany({
    where: { keyId, type: "IDLE" },
    orderBy: { occurredAt: "asc" },
    select: { dedupeKey: true, data: true },
  });

describe("idle keys", () => {
  it("reminds through the windows, then disables the key as IDLE at the announced time; verify then answers REVOKED, reason IDLE", async () => {
    const db = testDb();
    const owner = await seedUser(db, { name: "Ada" });
    const t0 = new Date();
    // Used 83 days and an hour ago: 6 days 23 hours before it would be disabled.
    const used = await seedKey(db, {
      userId: owner.id,
      name: "billing",
      createdAt: new Date(t0.getTime() - 200 * DAY),
      lastUsedAt: new Date(t0.getTime() - 83 * DAY - HOUR),
      expiresAt: null,
    });
    // Never used: counts from its creation, 85 days ago (5 days left).
    const never = await seedKey(db, {
      userId: owner.id,
      name: "never-used",
      createdAt: new Date(t0.getTime() - 85 * DAY),
      expiresAt: null,
    });
    // Used ten days ago, though issued long before: left alone.
    const recent = await seedKey(db, {
      userId: owner.id,
      name: "busy",
      createdAt: new Date(t0.getTime() - 200 * DAY),
      lastUsedAt: new Date(t0.getTime() - 10 * DAY),
      expiresAt: null,
    });
    // Would be idle in 5 days, but expires in 2: its expiry reminders say enough. (Someone else's,
    // so that this owner's mailbox holds only the idle emails.)
    const other = await seedUser(db);
    const expiring = await seedKey(db, {
      userId: other.id,
      name: "expiring",
      createdAt: new Date(t0.getTime() - 85 * DAY),
      expiresAt: new Date(t0.getTime() + 2 * DAY),
    });

    const first = await sweepAt(t0);
    expect(first.idleReminders).toBeGreaterThanOrEqual(2);
    expect((await idleEvents(used.id)).map((e) => (e.data as { windowDays: number }).windowDays)).toEqual([7]);
    expect((await idleEvents(never.id)).map((e) => (e.data as { windowDays: number }).windowDays)).toEqual([7]);
    expect(await idleEvents(recent.id)).toEqual([]);
    expect(await idleEvents(expiring.id)).toEqual([]);
    // The busy key's anchor moved up to its last use: later sweeps do not walk it again for 80 days.
    const busy = await db.apiKey.findUniqueOrThrow({
      where: { id: recent.id },
      select: { idleSeenAt: true, lastUsedAt: true },
    });
    expect(busy.idleSeenAt).toEqual(busy.lastUsedAt);

    const neverEvent = (await idleEvents(never.id))[0]!;
    expect(neverEvent.dedupeKey).toBe(`idle:${never.id}:7:${t0.getTime() - 85 * DAY}`);
    expect(neverEvent.data).toMatchObject({
      windowDays: 7,
      idleDays: 90,
      lastUsedAt: null,
      disablesAt: new Date(t0.getTime() + 5 * DAY).toISOString(),
    });

    const mails = smtp.to(owner.email);
    expect(mails).toHaveLength(1);
    const mail = mails[0]!.parsed;
    expect(mail.subject).toBe("[Keyward] 2 unused keys will be disabled within 7 days");
    expect(mail.text).toContain(
      `“billing” (${used.plaintext.slice(0, 7)}…${used.plaintext.slice(-4)}) has not been used for 83 days: it will be disabled in 7 days, on `,
    );
    expect(mail.text).toContain("“never-used” (");
    expect(mail.text).toContain("has not been used for 85 days: it will be disabled in 5 days, on ");
    expect(mail.text).toContain(`/keys/${used.id}\n`);
    const notice = await db.notification.findFirstOrThrow({ where: { keyId: used.id, kind: "IDLE" } });
    expect(notice).toMatchObject({ windowDays: 7, keyIdleSince: new Date(t0.getTime() - 83 * DAY - HOUR) });

    // Once per window: a minute later nothing new.
    await sweepAt(new Date(t0.getTime() + 60_000));
    expect(await idleEvents(used.id)).toHaveLength(1);
    expect(smtp.to(owner.email)).toHaveLength(1);

    // Six days later: the never-used key's day (t0 + 5 days) has passed, so it is disabled; the
    // other one enters the 1-day window.
    const sixDays = await sweepAt(new Date(t0.getTime() + 6 * DAY));
    expect(sixDays.idled).toBeGreaterThanOrEqual(1);
    expect(await blacklistOf(never.id)).toMatchObject({
      reason: "IDLE",
      actorLabel: "sweep",
      note: "Not used for 90 days",
    });
    expect(await blacklistOf(used.id)).toBeNull();
    expect((await idleEvents(used.id)).map((e) => (e.data as { windowDays: number }).windowDays)).toEqual([7, 1]);
    const afterSix = smtp.to(owner.email).map((m) => m.parsed.subject);
    expect(afterSix).toContain("[Keyward] Your unused API key will be disabled within 1 day");
    expect(afterSix).toContain("[Keyward] Your API key was blacklisted");
    const disabledMail = smtp
      .to(owner.email)
      .find((m) => m.parsed.subject === "[Keyward] Your API key was blacklisted")!;
    expect(disabledMail.parsed.text).toContain("“never-used” (");
    expect(disabledMail.parsed.text).toContain(
      "was disabled (blacklisted as IDLE): not used for 90 days. It no longer works",
    );

    // A day later the other key's time has come too.
    await sweepAt(new Date(t0.getTime() + 7 * DAY));
    expect(await blacklistOf(used.id)).toMatchObject({ reason: "IDLE" });
    expect(await blacklistOf(recent.id)).toBeNull();
    const revoked = await db.keyEvent.findMany({
      where: { keyId: { in: [used.id, never.id] }, type: "REVOKED" },
      select: { data: true, actorLabel: true },
    });
    expect(revoked).toHaveLength(2);
    for (const event of revoked)
      expect(event).toMatchObject({
        actorLabel: "sweep",
        data: { reason: "IDLE", note: "Not used for 90 days", idleDays: 90 },
      });

    for (const key of [used, never]) {
      const answer = await verify(key.plaintext);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ valid: false, code: "REVOKED", reason: "IDLE" });
    }
    expect((await verify(recent.plaintext)).body.code).toBe("VALID");

    // Disabled is disabled: later sweeps neither remind nor blacklist it again.
    await sweepAt(new Date(t0.getTime() + 7 * DAY + HOUR));
    expect(await idleEvents(used.id)).toHaveLength(2);
    expect(await db.keyEvent.count({ where: { keyId: used.id, type: "REVOKED" } })).toBe(1);
  });

  it("a key used after its reminder is left alone, and reminded again when a new idle spell reaches the window", async () => {
    const db = testDb();
    const owner = await seedUser(db);
    const t0 = new Date();
    const key = await seedKey(db, {
      userId: owner.id,
      createdAt: new Date(t0.getTime() - 100 * DAY),
      lastUsedAt: new Date(t0.getTime() - 84 * DAY),
      expiresAt: null,
    });
    await sweepAt(t0);
    expect(await idleEvents(key.id)).toHaveLength(1);

    // A service uses it (over HTTP): the usage flush records the use.
    expect((await verify(key.plaintext)).body.code).toBe("VALID");
    let lastUsedAt: Date | null = null;
    for (let i = 0; i < 50 && (!lastUsedAt || lastUsedAt < t0); i++) {
      await sleep(100);
      lastUsedAt = (await db.apiKey.findUniqueOrThrow({ where: { id: key.id }, select: { lastUsedAt: true } }))
        .lastUsedAt;
    }
    expect(lastUsedAt!.getTime()).toBeGreaterThanOrEqual(t0.getTime());

    // Past the first spell's announced day: not disabled, not reminded; the sweep saw the use.
    const later = new Date(t0.getTime() + 7 * DAY);
    await sweepAt(later);
    expect(await blacklistOf(key.id)).toBeNull();
    expect(await idleEvents(key.id)).toHaveLength(1);
    expect(
      (await db.apiKey.findUniqueOrThrow({ where: { id: key.id }, select: { idleSeenAt: true } })).idleSeenAt,
    ).toEqual(lastUsedAt);

    // A new idle spell: the row as 83 days without use would leave it (last use 83 days before
    // `later`, seen by the sweep), without waiting those days.
    const secondSpell = new Date(later.getTime() - 83 * DAY - HOUR);
    await db.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: secondSpell, idleSeenAt: secondSpell } });
    await sweepAt(later);
    const events = await idleEvents(key.id);
    expect(events.map((e) => e.dedupeKey)).toEqual([
      `idle:${key.id}:7:${t0.getTime() - 84 * DAY}`,
      `idle:${key.id}:7:${secondSpell.getTime()}`,
    ]);
    expect(await db.notification.count({ where: { keyId: key.id, kind: "IDLE" } })).toBe(2);
  });

  it("a key already unused for longer than KEY_IDLE_DAYS gets the smallest window's reminder first, and is disabled that long after", async () => {
    const db = testDb();
    const owner = await seedUser(db);
    const t0 = new Date();
    const key = await seedKey(db, { userId: owner.id, createdAt: new Date(t0.getTime() - 400 * DAY), expiresAt: null });
    await sweepAt(t0);
    expect(await blacklistOf(key.id)).toBeNull();
    const [event] = await idleEvents(key.id);
    expect(event!.data).toMatchObject({ windowDays: 1, disablesAt: new Date(t0.getTime() + DAY).toISOString() });
    await sweepAt(new Date(t0.getTime() + DAY - 60_000));
    expect(await blacklistOf(key.id)).toBeNull();
    await sweepAt(new Date(t0.getTime() + DAY));
    expect(await blacklistOf(key.id)).toMatchObject({ reason: "IDLE" });
  });

  it("two sweeps started at the same moment disable each idle key exactly once", async () => {
    const db = testDb();
    const owner = await seedUser(db);
    const N = 300;
    const tag = `idle-${randomUUID().slice(0, 8)}`;
    const t0 = new Date();
    await db.$executeRaw`
      INSERT INTO "ApiKey" (id, "userId", name, prefix, last4, hash, scopes, "createdAt")
      SELECT gen_random_uuid()::text, ${owner.id}, ${tag} || '-' || g, 'kw_idle', '0000', ${tag} || ':' || g, ARRAY['read'],
             ${new Date(t0.getTime() - 100 * DAY)}::timestamptz - g * interval '1 second'
      FROM generate_series(1, ${N}) g`;
    const mine = { key: { name: { startsWith: `${tag}-` } } };
    // Reminded first (the 1-day window: they are past due already), then due a day later.
    const [ra, rb] = await Promise.all([sweepAt(t0, { batchSize: 50 }), sweepAt(t0, { batchSize: 50 })]);
    expect(ra.idleReminders + rb.idleReminders).toBeGreaterThanOrEqual(N);
    expect(await db.keyEvent.count({ where: { userId: owner.id, type: "IDLE" } })).toBe(N);

    const due = new Date(t0.getTime() + DAY + 60_000);
    const [a, b] = await Promise.all([sweepAt(due, { batchSize: 50 }), sweepAt(due, { batchSize: 50 })]);
    expect(await db.blacklistedKey.count({ where: { ...mine, reason: "IDLE" } })).toBe(N);
    // Every key disabled at this `now` was counted by exactly one of the two sweeps.
    expect(a.idled + b.idled).toBe(await db.blacklistedKey.count({ where: { reason: "IDLE", blacklistedAt: due } }));
    expect(await db.keyEvent.count({ where: { userId: owner.id, type: "REVOKED" } })).toBe(N);
    expect(await db.notification.count({ where: { userId: owner.id, kind: "BLACKLISTED", reason: "IDLE" } })).toBe(N);
    expect(await db.notification.count({ where: { userId: owner.id, kind: "IDLE" } })).toBe(N);
    // One email per kind and window, however the two sweeps split the batches.
    expect(
      smtp
        .to(owner.email)
        .map((m) => m.parsed.subject)
        .sort(),
    ).toEqual([`[Keyward] ${N} keys were blacklisted`, `[Keyward] ${N} unused keys will be disabled within 1 day`]);
  });

  // PostgreSQL only: the embedded database has one session, so a transaction held open by a
  // second connection would stall the sweep itself (and one sweep at a time is all it ever runs).
  it.skipIf(testEnv.dbKind !== "postgres")(
    "disables idle keys while another sweep is reminding (each step and window has a lock of its own)",
    async () => {
      const db = testDb();
      const owner = await seedUser(db);
      const t0 = new Date();
      const keys = await Promise.all(
        Array.from({ length: 5 }, () =>
          seedKey(db, { userId: owner.id, createdAt: new Date(t0.getTime() - 100 * DAY), expiresAt: null }),
        ),
      );
      await sweepAt(t0);
      // Another sweep, in the middle of a reminder batch of every window: it holds those locks.
      const other = new pg.Client({ connectionString: testEnv.databaseUrl });
      await other.connect();
      try {
        await other.query("BEGIN");
        for (const days of [1, 7]) {
          await other.query("SELECT pg_advisory_xact_lock($1::bigint), pg_advisory_xact_lock($2::bigint)", [
            windowLock(LOCK.idleRemind, days),
            windowLock(LOCK.remind, days),
          ]);
        }
        const swept = await sweepAt(new Date(t0.getTime() + DAY + 60_000));
        expect(swept.idled).toBeGreaterThanOrEqual(keys.length);
        for (const key of keys) expect((await blacklistOf(key.id))?.reason).toBe("IDLE");
      } finally {
        await other.query("ROLLBACK");
        await other.end();
      }
    },
  );

  it("KEY_IDLE_DAYS=0 (the default) does nothing", async () => {
    const db = testDb();
    const owner = await seedUser(db);
    const t0 = new Date();
    const key = await seedKey(db, { userId: owner.id, createdAt: new Date(t0.getTime() - 400 * DAY), expiresAt: null });
    const off = await runSweep({ trigger: "idle-test", now: t0, mailer: mailer(), reminderDays: [7, 1], idleDays: 0 });
    const byEnv = await runSweep({ trigger: "idle-test", now: new Date(t0.getTime() + 1000), mailer: mailer() });
    for (const run of [off, byEnv]) expect(run).toMatchObject({ idled: 0, idleReminders: 0 });
    expect(await blacklistOf(key.id)).toBeNull();
    expect(await idleEvents(key.id)).toEqual([]);
    expect(
      (await db.apiKey.findUniqueOrThrow({ where: { id: key.id }, select: { idleSeenAt: true } })).idleSeenAt,
    ).toBeNull();
    expect((await verify(key.plaintext)).body.code).toBe("VALID");
  });
});

describe("usage retention", () => {
  it("deletes hourly counters and their sums older than USAGE_RETENTION_DAYS and keeps the newer ones", async () => {
    const db = testDb();
    const owner = await seedUser(db);
    const key = await seedKey(db, { userId: owner.id });
    const now = new Date();
    const hour = (ago: number) => new Date(Math.floor((now.getTime() - ago) / HOUR) * HOUR);
    const old = [hour(91 * DAY), hour(90 * DAY + 2 * HOUR), hour(200 * DAY)];
    const kept = [hour(89 * DAY), hour(HOUR)];
    await addHourlyCounts(
      db,
      [...old, ...kept].flatMap((h) => [
        { keyId: key.id, hour: h.getTime(), outcome: "VALID" as const, count: 5 },
        { keyId: key.id, hour: h.getTime(), outcome: "REVOKED" as const, count: 1 },
      ]),
    );
    const run = await runSweep({ trigger: "idle-test", now, mailer: mailer(), usageRetentionDays: 90, batchSize: 2 });
    expect(run.usagePurged).toBeGreaterThanOrEqual(old.length * 2);
    const left = await db.keyUsageHour.findMany({
      where: { keyId: key.id },
      select: { hour: true },
      orderBy: { hour: "asc" },
    });
    const keptHours = kept.flatMap((h) => [h, h]).sort((x, y) => x.getTime() - y.getTime());
    expect(left.map((r) => r.hour)).toEqual(keptHours);
    // Their sums go by the same rule: per key and hour, and the owner's per hour and outcome.
    const totals = await db.keyUsageHourTotal.findMany({ where: { keyId: key.id }, orderBy: { hour: "asc" } });
    expect(totals.map((r) => [r.hour, r.answers, r.refused])).toEqual(
      [...kept].sort((x, y) => x.getTime() - y.getTime()).map((h) => [h, 6n, 1n]),
    );
    const sums = await db.usageSumHour.findMany({
      where: { ownerId: owner.id },
      orderBy: [{ hour: "asc" }, { outcome: "asc" }],
    });
    expect(sums.map((r) => r.hour)).toEqual(keptHours);
    expect((await db.sweepRun.findUniqueOrThrow({ where: { id: run.runId } })).usagePurged).toBe(run.usagePurged);
  });
});
