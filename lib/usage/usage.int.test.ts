// Usage over real HTTP against `next start` on a real database: verifications reach the hourly
// counters through the usage flush, and the two usage APIs read them back: zero-filled buckets,
// totals, granularity, bounded ranges, who may see what, and 422 for what does not parse.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeTestDb, seedKey, seedTeam, seedUser, testDb } from "@/test-support/db";
import { testEnv } from "@/test-support/env";
import { expectProblemShape, signIn, sleep, verify, type Session } from "@/test-support/http";
import { addHourlyCounts } from "@/lib/usage/hourly-counts";
import type { UsageOutcome } from "@/lib/usage/usage-outcomes";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let owner: Awaited<ReturnType<typeof seedUser>>;
let ownerSession: Session;
let memberSession: Session;
let strangerSession: Session;
let adminSession: Session;
let teamId: string;

beforeAll(async () => {
  const db = testDb();
  const [o, member, stranger, admin] = await Promise.all([
    seedUser(db),
    seedUser(db),
    seedUser(db),
    seedUser(db, { role: "ADMIN" }),
  ]);
  owner = o;
  teamId = (await seedTeam(db, { owner: o.id, members: [{ userId: member.id, role: "MEMBER" }] })).id;
  [ownerSession, memberSession, strangerSession, adminSession] = await Promise.all([
    signIn(o.email, o.password),
    signIn(member.email, member.password),
    signIn(stranger.email, stranger.password),
    signIn(admin.email, admin.password),
  ]);
});
afterAll(closeTestDb);

async function usageOf(session: Session, keyId: string, query = "") {
  const response = await session.request("GET", `/api/v1/keys/${keyId}/usage${query}`);
  return { status: response.status, body: (await response.json()) as any };
}

/** Counters written after the fact, with their sums: query tests need hours in the past. */
async function seedCounts(keyId: string, rows: { hour: number; outcome: UsageOutcome; count: number }[]) {
  await addHourlyCounts(
    testDb(),
    rows.map((r) => ({ keyId, ...r })),
  );
}

const hourOf = (ms: number) => Math.floor(ms / HOUR) * HOUR;
const dayOf = (ms: number) => Math.floor(ms / DAY) * DAY;

describe("usage counters", () => {
  it("count real verifications per outcome, and the gate's client as the last one seen", async () => {
    const db = testDb();
    const key = await seedKey(db, { userId: owner.id, scopes: ["read"] });
    const expired = await seedKey(db, { userId: owner.id, expiresAt: new Date(Date.now() - 60_000) });
    const revoked = await seedKey(db, { userId: owner.id, blacklist: { reason: "REVOKED" } });
    for (let i = 0; i < 3; i++) expect((await verify(key.plaintext)).body.code).toBe("VALID");
    expect((await verify(key.plaintext, "admin")).body.code).toBe("INSUFFICIENT_SCOPE");
    const gate = await fetch(`${testEnv.baseUrl}/api/v1/protected/whoami`, {
      headers: { authorization: `Bearer ${key.plaintext}` },
    });
    expect(gate.status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await verify(expired.plaintext)).body.code).toBe("EXPIRED");
    expect((await verify(revoked.plaintext)).body.code).toBe("REVOKED");

    // The flush runs every 200 ms in tests; wait for it, not for a fixed time.
    let usage: any;
    for (let i = 0; i < 50; i++) {
      usage = (await usageOf(ownerSession, key.id, "?granularity=hour")).body;
      if (usage.totals.all >= 5 && usage.lastClientIp) break;
      await sleep(200);
    }
    expect(usage.totals).toMatchObject({ all: 5, VALID: 4, INSUFFICIENT_SCOPE: 1, refused: 1 });
    expect(usage.usageCount).toBe(4);
    expect(usage.lastUsedAt).not.toBeNull();
    expect(usage.lastClientIp).toMatch(/127\.0\.0\.1|::1/);
    // All of it in the current hour, the last of the default 48.
    expect(usage.buckets).toHaveLength(48);
    expect(usage.buckets.at(-1).start).toBe(new Date(hourOf(Date.now())).toISOString());
    expect(usage.buckets.at(-1).counts).toMatchObject({ VALID: 4, INSUFFICIENT_SCOPE: 1 });

    for (const [id, outcome, n] of [
      [expired.id, "EXPIRED", 2],
      [revoked.id, "REVOKED", 1],
    ] as const) {
      let body: any;
      for (let i = 0; i < 50; i++) {
        body = (await usageOf(ownerSession, id)).body;
        if (body.totals.all >= n) break;
        await sleep(200);
      }
      expect(body.totals).toMatchObject({ all: n, [outcome]: n, refused: n, VALID: 0 });
      // A refusal is not a use.
      expect(body.usageCount).toBe(0);
      expect(body.lastUsedAt).toBeNull();
    }
  });
});

describe("GET /api/v1/keys/:id/usage", () => {
  it("zero-fills hourly and daily buckets, sums hours into days, and totals what it draws", async () => {
    const key = await seedKey(testDb(), { userId: owner.id });
    const day = dayOf(Date.now()) - 3 * DAY; // three days ago, midnight UTC
    await seedCounts(key.id, [
      { hour: day + 3 * HOUR, outcome: "VALID", count: 5 },
      { hour: day + 3 * HOUR, outcome: "RATE_LIMITED", count: 2 },
      { hour: day + 5 * HOUR, outcome: "VALID", count: 1 },
      { hour: day + 23 * HOUR, outcome: "IP_NOT_ALLOWED", count: 4 },
      { hour: day + DAY + 1 * HOUR, outcome: "USAGE_EXCEEDED", count: 7 },
    ]);
    const iso = (ms: number) => new Date(ms).toISOString();

    const hourly = await usageOf(ownerSession, key.id, `?granularity=hour&from=${iso(day)}&to=${iso(day + DAY)}`);
    expect(hourly.status).toBe(200);
    expect(hourly.body.granularity).toBe("hour");
    expect(hourly.body.buckets).toHaveLength(24);
    expect(hourly.body.buckets.map((b: any) => b.total)).toEqual(
      Array.from({ length: 24 }, (_, h) => ({ 3: 7, 5: 1, 23: 4 })[h] ?? 0),
    );
    expect(hourly.body.buckets[3].counts).toMatchObject({ VALID: 5, RATE_LIMITED: 2, EXPIRED: 0 });
    expect(hourly.body.totals).toMatchObject({
      all: 12,
      VALID: 6,
      refused: 6,
      RATE_LIMITED: 2,
      IP_NOT_ALLOWED: 4,
      USAGE_EXCEEDED: 0,
    });
    expect([hourly.body.from, hourly.body.to]).toEqual([iso(day), iso(day + DAY)]);

    // Date-only bounds: whole UTC days, `to` included.
    const from = iso(day - DAY).slice(0, 10);
    const to = iso(day + DAY).slice(0, 10);
    const daily = await usageOf(ownerSession, key.id, `?granularity=day&from=${from}&to=${to}`);
    expect(daily.status).toBe(200);
    expect(daily.body.buckets.map((b: any) => [b.start.slice(0, 10), b.total])).toEqual([
      [from, 0],
      [iso(day).slice(0, 10), 12],
      [to, 7],
    ]);
    expect(daily.body.totals).toMatchObject({ all: 19, refused: 13, USAGE_EXCEEDED: 7 });

    // The default: the last 30 days by day, today last.
    const standard = await usageOf(ownerSession, key.id);
    expect(standard.body.granularity).toBe("day");
    expect(standard.body.buckets).toHaveLength(30);
    expect(standard.body.buckets.at(-1).start).toBe(iso(dayOf(Date.now())));
    expect(standard.body.totals.all).toBe(19);
    // A range outside the data: every bucket zero.
    const empty = await usageOf(
      ownerSession,
      key.id,
      `?from=${iso(day - 10 * DAY).slice(0, 10)}&to=${iso(day - 5 * DAY).slice(0, 10)}`,
    );
    expect(empty.body.buckets).toHaveLength(6);
    expect(empty.body.totals.all).toBe(0);
  });

  it("is for whoever may see the key: its owner, its team's members; anyone else gets 404, anonymous 401", async () => {
    const db = testDb();
    const personal = await seedKey(db, { userId: owner.id });
    const team = await seedKey(db, { teamId, issuedById: owner.id });
    expect((await usageOf(ownerSession, personal.id)).status).toBe(200);
    expect((await usageOf(ownerSession, team.id)).status).toBe(200);
    expect((await usageOf(memberSession, team.id)).status).toBe(200);
    for (const [session, id] of [
      [memberSession, personal.id],
      [strangerSession, personal.id],
      [strangerSession, team.id],
      // Admins see every key on admin pages, not through a user's key routes.
      [adminSession, personal.id],
      [ownerSession, "2b6c2a51-0a48-4c1e-9d7e-000000000000"],
      [ownerSession, "not-an-id"],
    ] as const) {
      const { status, body } = await usageOf(session, id);
      expect(status, `${id}`).toBe(404);
      expectProblemShape(body, 404);
    }
    const anonymous = await fetch(`${testEnv.baseUrl}/api/v1/keys/${personal.id}/usage`);
    expect(anonymous.status).toBe(401);
  });

  it("answers 422 for garbage, reversed and too-long ranges", async () => {
    const key = await seedKey(testDb(), { userId: owner.id });
    for (const query of [
      "?granularity=minute",
      "?from=yesterday",
      "?to=2026-02-30T00:00:00",
      "?from=2026-11-02&to=2026-11-01",
      "?from=2026-01-01&to=2026-06-01&granularity=hour",
      "?from=2020-01-01&to=2026-01-01",
      "?from=0001-01-01",
      "?limit=5",
    ]) {
      const { status, body } = await usageOf(ownerSession, key.id, query);
      expect(status, query).toBe(422);
      expectProblemShape(body, 422);
    }
  });
});

describe("GET /api/v1/admin/usage", () => {
  it("shows every key's traffic per hour, the top and most refused keys, and keys unused for 30+ days", async () => {
    const db = testDb();
    const busy = await seedKey(db, { userId: owner.id, name: "usage busy" });
    const refused = await seedKey(db, { userId: owner.id, name: "usage refused", blacklist: { reason: "LEAKED" } });
    const now = Date.now();
    // Counts far above anything other test files make in the same database, so the order is ours.
    await seedCounts(busy.id, [{ hour: hourOf(now), outcome: "VALID", count: 9e11 }]);
    await seedCounts(refused.id, [
      { hour: hourOf(now) - 2 * HOUR, outcome: "REVOKED", count: 8e11 },
      { hour: hourOf(now) - 100 * HOUR, outcome: "REVOKED", count: 5 }, // outside 48 h, inside 7 days
    ]);

    const { status, body } = await (async () => {
      const r = await adminSession.request("GET", "/api/v1/admin/usage?top=5");
      return { status: r.status, body: (await r.json()) as any };
    })();
    expect(status).toBe(200);
    expect(body.hours).toBe(48);
    expect(body.perHour.granularity).toBe("hour");
    expect(body.perHour.buckets).toHaveLength(48);
    expect(body.perHour.buckets.at(-1).start).toBe(new Date(hourOf(now)).toISOString());
    expect(body.perHour.buckets.at(-1).counts.VALID).toBeGreaterThanOrEqual(9e11);
    expect(body.perHour.buckets.at(-3).counts.REVOKED).toBeGreaterThanOrEqual(8e11);
    expect(body.topKeys.length).toBeLessThanOrEqual(5);
    expect(body.topKeys[0]).toMatchObject({
      key: { id: busy.id, name: "usage busy" },
      total: 9e11,
      valid: 9e11,
      refused: 0,
    });
    expect(body.topKeys[1]).toMatchObject({ key: { id: refused.id }, total: 8e11 });
    expect(body.topRefused[0]).toMatchObject({
      key: { id: refused.id, status: "BLACKLISTED" },
      refused: 8e11,
      counts: { REVOKED: 8e11 },
    });
    // A key never refused is not on the refused list.
    expect(body.topRefused.map((t: any) => t.key.id)).not.toContain(busy.id);

    // Seven days: the older refusals count too.
    const week = (await (await adminSession.request("GET", "/api/v1/admin/usage?hours=168")).json()) as any;
    expect(week.perHour.buckets).toHaveLength(168);
    expect(week.topRefused.find((t: any) => t.key.id === refused.id).refused).toBe(8e11 + 5);
  });

  it("lists working keys unused for 30+ days, never-used ones from their creation, a page at a time", async () => {
    const db = testDb();
    const long = Date.UTC(1990, 0, 1); // older than every other test's key: first in the oldest-first list
    const at = (i: number) => new Date(long + i * 1000);
    const neverUsed = await seedKey(db, { userId: owner.id, name: "unused never", createdAt: at(1), expiresAt: null });
    const usedLongAgo = await seedKey(db, {
      userId: owner.id,
      name: "unused long ago",
      createdAt: at(2),
      lastUsedAt: new Date(Date.now() - 40 * DAY),
    });
    const usedRecently = await seedKey(db, {
      userId: owner.id,
      createdAt: at(3),
      lastUsedAt: new Date(Date.now() - 2 * DAY),
    });
    const expired = await seedKey(db, { userId: owner.id, createdAt: at(4), expiresAt: new Date(Date.now() - DAY) });
    const blacklisted = await seedKey(db, { userId: owner.id, createdAt: at(5), blacklist: { reason: "REVOKED" } });
    const graceOver = await seedKey(db, {
      userId: owner.id,
      createdAt: at(6),
      graceEndsAt: new Date(Date.now() - HOUR),
    });
    const newKey = await seedKey(db, { userId: owner.id, name: "unused new" });

    const page = async (q: string) =>
      (await (await adminSession.request("GET", `/api/v1/admin/usage${q}`)).json()) as any;
    const first = await page("?pageSize=1");
    expect(first.unused.days).toBe(30);
    expect(first.unused.items.map((u: any) => u.key.id)).toEqual([neverUsed.id]);
    expect(first.unused.items[0].idleDays).toBeGreaterThan(365 * 30);
    expect(first.unused.next).toMatch(/^\d+\.[0-9a-f-]{36}$/);
    const second = await page(`?pageSize=1&unusedAfter=${first.unused.next}`);
    expect(second.unused.items.map((u: any) => u.key.id)).toEqual([usedLongAgo.id]);
    expect(second.unused.items[0].idleDays).toBe(40);

    // Walk the whole list: the working, unused keys are in it; the others never are.
    const seen = new Set<string>();
    let next: string | null = null;
    for (let i = 0; i < 1000; i++) {
      const p = await page(`?pageSize=100${next ? `&unusedAfter=${next}` : ""}`);
      for (const u of p.unused.items) seen.add(u.key.id);
      next = p.unused.next;
      if (!next) break;
    }
    expect(next).toBeNull();
    expect(seen.has(neverUsed.id) && seen.has(usedLongAgo.id)).toBe(true);
    for (const k of [usedRecently, expired, blacklisted, graceOver, newKey]) expect(seen.has(k.id), k.id).toBe(false);

    // A shorter threshold moves the recently used key in.
    const short = await page("?pageSize=3&unusedDays=1");
    expect(short.unused.items.map((u: any) => u.key.id)).toEqual([neverUsed.id, usedLongAgo.id, usedRecently.id]);
  });

  it("is for site admins only, and refuses garbage with 422", async () => {
    for (const session of [ownerSession, memberSession]) {
      const r = await session.request("GET", "/api/v1/admin/usage");
      expect(r.status).toBe(403);
      expectProblemShape(await r.json(), 403);
    }
    expect((await fetch(`${testEnv.baseUrl}/api/v1/admin/usage`)).status).toBe(401);
    for (const q of [
      "?hours=0",
      "?hours=169",
      "?top=51",
      "?unusedDays=x",
      "?unusedAfter=garbage",
      "?pageSize=1000",
      "?other=1",
    ]) {
      const r = await adminSession.request("GET", `/api/v1/admin/usage${q}`);
      expect(r.status, q).toBe(422);
      expectProblemShape(await r.json(), 422);
    }
  });
});
