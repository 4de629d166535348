// Three sweeps at once on 10,000 expired keys of 100 owners (item 19): each key blacklisted once,
// each notice recorded once, and each owner gets exactly one EXPIRED email listing all 100 keys,
// sent once, however the three sweeps' batches interleave.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { createMailer } from "@/lib/notify/mailer";
import { closeTestDb, testDb } from "@/test-support/db";
import { startTestSmtp, type TestSmtp } from "@/test-support/smtp";
import { runSweep } from "./run-sweep";

const OWNERS = 100;
const KEYS_PER_OWNER = 100;
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

describe("three sweeps at once", () => {
  it("send each owner one EXPIRED email listing all of that owner's keys", async () => {
    const db = testDb();
    // Set-based: these owners never sign in, so they need no password (the factory's scrypt hash
    // costs ~0.25 s of CPU per user here), and 10,000 keys are one statement, not 10,000 calls.
    const tag = randomUUID().slice(0, 8);
    const owners = await db.user.createManyAndReturn({
      data: Array.from({ length: OWNERS }, (_, i) => ({
        email: `overlap-${tag}-${i}@example.test`,
        name: `Owner ${i}`,
        emailVerifiedAt: new Date(),
      })),
      select: { id: true, email: true },
    });
    const ids = owners.map((o) => o.id);
    // Expiry times interleave the owners, so every batch holds keys of many owners.
    await db.$executeRaw`
      INSERT INTO "ApiKey" (id, "userId", name, prefix, last4, hash, scopes, "createdAt", "expiresAt")
      SELECT gen_random_uuid()::text, o.id, 'overlap-' || g, 'kw_over', '0000', o.id || ':overlap:' || g, ARRAY['read'],
             now() - interval '2 days', now() - interval '1 minute' - g * interval '1 second'
      FROM unnest(${ids}::text[]) AS o(id), generate_series(1, ${KEYS_PER_OWNER}) g`;

    const mailer = () => createMailer(smtp.url, "Keyward <keyward@test.local>");
    // Small batches, so that the three sweeps' batches interleave.
    const started = new Date();
    const runs = await Promise.all(
      [0, 1, 2].map(() => runSweep({ trigger: "overlap-test", batchSize: 50, mailer: mailer() })),
    );
    const finished = new Date();

    const total = OWNERS * KEYS_PER_OWNER;
    // Other files' keys that came due since the clearing sweep (one expires a minute after it is
    // made) are these sweeps' work too: counted apart, so that each key still counts once. Only
    // within these sweeps' time: other files' sweeps ran "days later" and stamped future times.
    const others = await db.blacklistedKey.count({
      where: {
        reason: "EXPIRED",
        actorLabel: "sweep",
        blacklistedAt: { gte: started, lte: finished },
        key: { OR: [{ userId: { notIn: ids } }, { userId: null }] },
      },
    });
    expect(runs.reduce((sum, r) => sum + r.expired, 0)).toBe(total + others);
    expect(await db.blacklistedKey.count({ where: { key: { userId: { in: ids } } } })).toBe(total);
    expect(await db.notification.count({ where: { userId: { in: ids }, kind: "EXPIRED" } })).toBe(total);

    // Keys listed per EXPIRED email, per owner: [100] for everyone, never [20, 60, 20].
    const emails = await db.emailMessage.findMany({
      where: { userId: { in: ids }, kind: "EXPIRED" },
      select: { userId: true, status: true, _count: { select: { notifications: true } } },
    });
    const split = new Map<string, number[]>(ids.map((id) => [id, []]));
    for (const email of emails) split.get(email.userId)!.push(email._count.notifications);
    const wrong = [...split.values()].filter((keys) => keys.length !== 1 || keys[0] !== KEYS_PER_OWNER);
    expect(
      wrong.length,
      `owners whose keys were not in exactly one email, e.g. ${JSON.stringify(wrong.slice(0, 3))}`,
    ).toBe(0);
    expect(new Set(emails.map((e) => e.status))).toEqual(new Set(["SENT"]));

    // Sent once: the SMTP server got exactly one email per owner, naming all 100 keys.
    for (const owner of owners) {
      const received = smtp.to(owner.email);
      expect(received, owner.email).toHaveLength(1);
      expect(received[0]!.parsed.subject).toBe(`[Keyward] ${KEYS_PER_OWNER} keys have expired`);
    }
    expect(await db.notification.count({ where: { userId: { in: ids }, emailStatus: { not: "QUEUED" } } })).toBe(0);

    // They overlapped: sweeps that finished recording first left the emails to the last one.
    expect(runs.filter((r) => r.queueDeferred).length).toBeGreaterThanOrEqual(1);
    expect(runs.reduce((sum, r) => sum + r.emailsQueued, 0)).toBe(OWNERS);
  }, 180_000);
});
