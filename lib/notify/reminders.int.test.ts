// Reminders and notices end to end through a real SMTP server: exactly once per key and window,
// one email per owner listing every key, overlap-safe, and an SMTP outage that the next sweep
// recovers from. Sweeps run in-process against the test database with a time-travelling `now`.
import { mkdirSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { rotateKey } from "@/lib/keys/change/rotate-key";
import { runSweep } from "@/lib/sweep/run-sweep";
import { closeTestDb, seedKey, seedTeam, seedUser, testDb } from "@/test-support/db";
import { startTestSmtp, type TestSmtp } from "@/test-support/smtp";
import { createMailer } from "./mailer";

const DAY = 86_400_000;
const HOUR = 3_600_000;
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
const sweepAt = (now: Date, m = mailer()) => runSweep({ trigger: "test", now, mailer: m });

describe("expiry reminders by email", () => {
  it("sends one 7-day reminder listing all three keys, once across two sweeps, then the 1-day one", async () => {
    const db = testDb();
    const owner = await seedUser(db, { name: "Ada" });
    const start = new Date();
    const keys = await Promise.all(
      [0, 1, 2].map((i) =>
        seedKey(db, {
          userId: owner.id,
          name: `svc-${i}`,
          expiresAt: new Date(start.getTime() + 6 * DAY + 20 * HOUR + i * 60_000),
        }),
      ),
    );

    await sweepAt(start);
    await sweepAt(new Date(start.getTime() + 60_000));
    const first = smtp.to(owner.email);
    expect(first).toHaveLength(1);
    const mail = first[0]!.parsed;
    expect(mail.subject).toBe("[Keyward] 3 keys expire within 7 days");
    expect(mail.from?.text).toContain("keyward@test.local");
    for (const key of keys) {
      expect(mail.text).toContain(
        `“${key.name}” (${key.plaintext.slice(0, 7)}…${key.plaintext.slice(-4)}) expires in 7 days, on `,
      );
      expect(mail.text).toContain(`/keys/${key.id}?renew=1`);
      expect(mail.html).toContain(`/keys/${key.id}?renew=1`);
      expect(first[0]!.raw).not.toContain(key.plaintext.slice(3)); // never the key itself
    }
    expect(await db.notification.count({ where: { userId: owner.id, kind: "REMINDER", windowDays: 7 } })).toBe(3);
    // Kept for people to read (README/notes): the reminder exactly as the SMTP server got it.
    mkdirSync("test-results", { recursive: true });
    writeFileSync("test-results/sample-reminder.eml", first[0]!.raw);

    // Six days later the keys are inside the 1-day window: one more email, the 1-day one.
    const later = new Date(start.getTime() + 6 * DAY);
    await sweepAt(later);
    await sweepAt(new Date(later.getTime() + 60_000));
    const all = smtp.to(owner.email);
    expect(all).toHaveLength(2);
    expect(all[1]!.parsed.subject).toBe("[Keyward] 3 keys expire within 1 day");
    expect(all[1]!.parsed.text).toContain("expires tomorrow, on ");

    // …and after expiry, one "expired" notice email.
    await sweepAt(new Date(start.getTime() + 7 * DAY + HOUR));
    const expired = smtp.to(owner.email).filter((m) => m.parsed.subject?.includes("expired"));
    expect(expired).toHaveLength(1);
    expect(expired[0]!.parsed.subject).toBe("[Keyward] 3 keys have expired");
  });

  it("reminds of a rotated key when it stops working, for the windows its end entered after the rotation only", async () => {
    const db = testDb();
    const owner = await seedUser(db, { name: "Rota" });
    const start = new Date();
    const actor = { id: owner.id, label: owner.email, ip: null };
    const key = (name: string, lifetimeDays: number, leftDays: number) =>
      seedKey(db, {
        userId: owner.id,
        name,
        createdAt: new Date(start.getTime() - (lifetimeDays - leftDays) * DAY),
        expiresAt: new Date(start.getTime() + leftDays * DAY),
      });
    const short = await key("grace-24h", 90, 40);
    const week = await key("grace-7d", 90, 40);
    const until = await key("until-expiry", 90, 10);
    for (const [k, grace] of [
      [short, "24h"],
      [week, "7d"],
      [until, "until-expiry"],
    ] as const)
      await rotateKey(owner.id, k.id, { grace }, actor);

    // Every window their ends are in now, they entered at the rotation, which chose those ends.
    await sweepAt(new Date(start.getTime() + 60_000));
    expect(smtp.to(owner.email)).toHaveLength(0);

    // Three days on, the key kept until its expiry enters the 7-day window: "stops working", no renewal.
    await sweepAt(new Date(start.getTime() + 3 * DAY + HOUR));
    const week7 = smtp.to(owner.email).find((m) => m.parsed.subject === "[Keyward] Your API key expires within 7 days");
    expect(week7, "the 7-day reminder of the key kept until its expiry").toBeDefined();
    expect(week7?.parsed.text).toContain(
      `“until-expiry” (${until.plaintext.slice(0, 7)}…${until.plaintext.slice(-4)}) was replaced and stops working in 7 days, on `,
    );
    expect(week7?.parsed.text).toContain(`View key: ${process.env.APP_URL}/keys/${until.id}\n`);
    expect(week7?.parsed.text).not.toContain("renew=1");
    // The 24-hour grace ended meanwhile: that is told as such.
    expect(smtp.to(owner.email).map((m) => m.parsed.subject)).toContain("[Keyward] Your rotated key stopped working");

    // Six days on, the 7-day grace has a day left: its 1-day reminder is about the grace end.
    await sweepAt(new Date(start.getTime() + 6 * DAY + HOUR));
    const day1 = smtp.to(owner.email).find((m) => m.parsed.subject === "[Keyward] Your API key expires within 1 day");
    expect(day1, "the 1-day reminder of the key in a 7-day grace").toBeDefined();
    expect(day1?.parsed.text).toContain(
      `“grace-7d” (${week.plaintext.slice(0, 7)}…${week.plaintext.slice(-4)}) was replaced and stops working tomorrow, on `,
    );
    const notice = await db.notification.findFirstOrThrow({ where: { keyId: week.id, kind: "REMINDER" } });
    const row = await db.apiKey.findUniqueOrThrow({ where: { id: week.id } });
    expect(notice).toMatchObject({ windowDays: 1, reason: "ROTATED", keyExpiresAt: row.graceEndsAt });
    expect(await db.keyReminder.count({ where: { keyId: short.id } })).toBe(0);
  });

  it("two sweeps started at the same moment send nothing twice", async () => {
    const db = testDb();
    const owners = await Promise.all([0, 1, 2, 3].map(() => seedUser(db)));
    const now = new Date();
    for (const owner of owners) {
      for (let i = 0; i < 3; i++)
        await seedKey(db, { userId: owner.id, expiresAt: new Date(now.getTime() + 3 * DAY + i * HOUR) });
    }
    const [a, b] = await Promise.all([sweepAt(now, mailer()), sweepAt(now, mailer())]);
    expect(a.emailsSent + b.emailsSent).toBeGreaterThanOrEqual(owners.length);
    for (const owner of owners) {
      const mails = smtp.to(owner.email);
      expect(mails, owner.email).toHaveLength(1);
      expect(mails[0]!.parsed.subject).toBe("[Keyward] 3 keys expire within 7 days");
    }
    const notices = await db.notification.count({ where: { userId: { in: owners.map((o) => o.id) } } });
    expect(notices).toBe(owners.length * 3);
  });

  it("an SMTP outage is recorded, the sweep still succeeds, and the next sweep delivers", async () => {
    const db = testDb();
    const owner = await seedUser(db);
    const now = new Date();
    await seedKey(db, { userId: owner.id, name: "during-outage", expiresAt: new Date(now.getTime() + 2 * DAY) });

    const dead = createMailer("smtp://127.0.0.1:9", "Keyward <keyward@test.local>"); // nothing listens on port 9
    const failed = await sweepAt(now, dead);
    expect(failed.emailsFailed).toBeGreaterThanOrEqual(1);
    const run = await db.sweepRun.findUnique({ where: { id: failed.runId } });
    expect(run?.status).toBe("SUCCEEDED");
    const email = await db.emailMessage.findFirstOrThrow({ where: { userId: owner.id } });
    expect(email).toMatchObject({ status: "FAILED", attempts: 1 });
    expect(email.lastError).toBeTruthy();
    expect(smtp.to(owner.email)).toHaveLength(0);

    // Too early for the retry: the backoff holds it.
    await sweepAt(new Date(now.getTime() + 1000));
    expect(smtp.to(owner.email)).toHaveLength(0);

    const retried = await sweepAt(new Date(now.getTime() + 5 * 60_000));
    expect(retried.emailsSent).toBeGreaterThanOrEqual(1);
    expect(smtp.to(owner.email)).toHaveLength(1);
    expect(await db.emailMessage.findUniqueOrThrow({ where: { id: email.id } })).toMatchObject({
      status: "SENT",
      attempts: 2,
      lastError: null,
    });
  });

  it("respects the owner's preference: the notice shows in the app, no email goes out", async () => {
    const db = testDb();
    const owner = await seedUser(db);
    await db.user.update({ where: { id: owner.id }, data: { emailReminders: false } });
    const now = new Date();
    await seedKey(db, { userId: owner.id, expiresAt: new Date(now.getTime() + 2 * DAY) });
    await sweepAt(now);
    expect(smtp.to(owner.email)).toHaveLength(0);
    expect(await db.notification.findFirst({ where: { userId: owner.id } })).toMatchObject({
      kind: "REMINDER",
      emailStatus: "SKIPPED",
    });
  });

  it("a sweep killed between recording and sending leaves the notice to the next sweep, sent once", async () => {
    const db = testDb();
    const owner = await seedUser(db);
    const now = new Date();
    const key = await seedKey(db, { userId: owner.id, expiresAt: new Date(now.getTime() + 2 * DAY) });
    // What a sweep killed right after its reminder batch leaves behind: the reminder and its
    // notice, no email yet.
    const { remindBatch } = await import("@/lib/sweep/sweep-steps");
    await remindBatch(now, 7, 1, 1000);
    expect(await db.notification.findFirst({ where: { keyId: key.id } })).toMatchObject({ emailStatus: "PENDING" });
    await sweepAt(new Date(now.getTime() + 1000));
    await sweepAt(new Date(now.getTime() + 2000));
    expect(smtp.to(owner.email)).toHaveLength(1);
  });

  it("team keys: the team's owners and admins and the issuing member hear, each in one email grouped by owner, preferences applied", async () => {
    const db = testDb();
    const [owner, admin, issuer, bystander, quiet] = await Promise.all([0, 1, 2, 3, 4].map(() => seedUser(db)));
    await db.user.update({ where: { id: quiet!.id }, data: { emailReminders: false } });
    const team = await seedTeam(db, {
      name: "Ledger",
      owner: owner!.id,
      members: [
        { userId: admin!.id, role: "ADMIN" },
        { userId: issuer!.id, role: "MEMBER" },
        { userId: bystander!.id, role: "MEMBER" },
        { userId: quiet!.id, role: "ADMIN" },
      ],
    });
    const now = new Date();
    const soon = new Date(now.getTime() + 5 * DAY);
    const teamKey = await seedKey(db, {
      teamId: team.id,
      issuedById: issuer!.id,
      name: "ledger-prod",
      expiresAt: soon,
    });
    await seedKey(db, { userId: owner!.id, name: "owner-own", expiresAt: new Date(soon.getTime() + HOUR) });

    await sweepAt(now);
    await sweepAt(new Date(now.getTime() + 60_000));

    const ownerMail = smtp.to(owner!.email);
    expect(ownerMail).toHaveLength(1);
    const text = ownerMail[0]!.parsed.text!;
    expect(ownerMail[0]!.parsed.subject).toBe("[Keyward] 2 keys expire within 7 days");
    // Grouped: the person's own keys first, then each team's.
    expect(text.indexOf("Your keys")).toBeLessThan(text.indexOf("Team “Ledger”"));
    expect(text.indexOf("owner-own")).toBeLessThan(text.indexOf("Team “Ledger”"));
    expect(text.indexOf("ledger-prod")).toBeGreaterThan(text.indexOf("Team “Ledger”"));
    for (const person of [admin!, issuer!]) {
      const mails = smtp.to(person.email);
      expect(mails, person.email).toHaveLength(1);
      expect(mails[0]!.parsed.text).toContain("ledger-prod");
      expect(mails[0]!.parsed.text).not.toContain("owner-own");
    }
    expect(smtp.to(bystander!.email)).toHaveLength(0);
    expect(await db.notification.count({ where: { userId: bystander!.id } })).toBe(0);
    // A person who turned reminder emails off still sees the notice in the app.
    expect(smtp.to(quiet!.email)).toHaveLength(0);
    expect(await db.notification.findFirst({ where: { userId: quiet!.id, keyId: teamKey.id } })).toMatchObject({
      emailStatus: "SKIPPED",
      keyOwner: "Ledger",
    });
    expect(await db.notification.count({ where: { keyId: teamKey.id } })).toBe(4);

    // The issuer leaves: the next window's reminder no longer goes to them.
    await db.teamMember.deleteMany({ where: { teamId: team.id, userId: issuer!.id } });
    await sweepAt(new Date(soon.getTime() - 20 * HOUR));
    expect(smtp.to(issuer!.email)).toHaveLength(1);
    expect(smtp.to(admin!.email)).toHaveLength(2);
  });
});
