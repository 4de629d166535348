// The quick start's demo data adds up: seeded into the test database by the same seed function
// `npm start` runs, every demo key's API answer, usage, audit trail, notices and rendered page
// tell one story. A key last used two hours ago has verifications to show for it; a key an admin
// blacklisted has the admin's audit event, its history entry and its owner's notice; the key page
// labels each number with what it counts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { closeTestDb, testDb } from "@/test-support/db";
import { signIn, type Session } from "@/test-support/http";
import type { DemoSeed } from "./bootstrap";
import { seedDemo } from "./demo";

const HOUR = 3_600_000;
const DAY = 86_400_000;

interface Key {
  id: string;
  name: string;
  owner: { type: "user" | "team"; name: string };
  issuedBy: { label: string } | null;
  createdAt: string;
  expiresAt: string | null;
  graceEndsAt: string | null;
  worksUntil: string | null;
  replacedById: string | null;
  lastUsedAt: string | null;
  usageCount: number;
  status: string;
  blacklist: { reason: string; at: string; by: string; note: string | null } | null;
}
interface Usage {
  usageCount: number;
  lastUsedAt: string | null;
  totals: Record<string, number> & { all: number; refused: number; VALID: number };
}
interface AuditEntry {
  at: string;
  action: string;
  actorLabel: string;
}
interface Notice {
  kind: string;
  keyId: string | null;
  body: string;
  createdAt: string;
}

let seeded: DemoSeed;
let demo: Session;
let admin: Session;
let keys: Key[];
let notices: { demo: Notice[]; admin: Notice[] };
let sweptAt: number;

async function get<T>(session: Session, path: string): Promise<T> {
  const response = await session.request("GET", path);
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

const close = (a: string | number, b: string | number, ms = 5_000) =>
  Math.abs(new Date(a).getTime() - new Date(b).getTime()) <= ms;

beforeAll(async () => {
  const tag = Date.now().toString(36);
  seeded = await seedDemo({
    admin: { email: `demo-admin-${tag}@example.test`, password: `admin-pw-${tag}` },
    demoPassword: `demo-pw-${tag}`,
    demoEmail: `demo-${tag}@example.test`,
  });
  [demo, admin] = await Promise.all([
    signIn(seeded.demo.email, seeded.demo.password),
    signIn(seeded.admin.email, seeded.admin.password),
  ]);
  keys = (await get<{ items: Key[] }>(demo, "/api/v1/keys?view=responsible&tab=all&pageSize=100")).items;
  const noticesOf = async (s: Session) =>
    (await get<{ items: Notice[] }>(s, "/api/v1/notifications?pageSize=100")).items;
  notices = { demo: await noticesOf(demo), admin: await noticesOf(admin) };
  // The demo's sweep, the latest of its trigger (other files' sweeps share the database).
  sweptAt = (
    await testDb().sweepRun.findFirstOrThrow({ where: { trigger: "demo" }, orderBy: { startedAt: "desc" } })
  ).startedAt.getTime();
}, 120_000);
afterAll(async () => {
  await closeTestDb();
  await prisma.$disconnect();
});

/** The text of the element with data-testid `id` on a rendered page (React's text separators dropped). */
function testId(html: string, id: string): string | null {
  const match = new RegExp(`data-testid="${id}"[^>]*>([^<]*)<`).exec(html);
  return match ? match[1]!.trim() : null;
}

describe("the demo data adds up", () => {
  it("the usage sums the admin usage page reads agree with the keys' counters: per owner, and per key and hour", async () => {
    const db = testDb();
    const owned = await db.apiKey.findMany({
      where: { id: { in: keys.map((k) => k.id) } },
      select: { userId: true, teamId: true },
    });
    const owners = [...new Set(owned.map((k) => k.userId ?? k.teamId!))];
    expect(owners.length).toBeGreaterThan(1); // the demo user and its team
    const counted = await db.$queryRaw<{ owner: string; hour: Date; outcome: string; n: bigint }[]>`
      SELECT COALESCE(k."userId", k."teamId") AS owner, u.hour, u.outcome::text AS outcome, sum(u.count)::bigint AS n
      FROM "KeyUsageHour" u JOIN "ApiKey" k ON k.id = u."keyId"
      WHERE COALESCE(k."userId", k."teamId") = ANY(${owners}::text[])
      GROUP BY 1, 2, 3`;
    const summed = await db.usageSumHour.findMany({ where: { ownerId: { in: owners } } });
    const line = (owner: string, hour: Date, outcome: string, n: bigint) =>
      `${owner} ${hour.toISOString()} ${outcome} ${n}`;
    expect(summed.length).toBeGreaterThan(0);
    expect(summed.map((r) => line(r.ownerId, r.hour, r.outcome, r.count)).sort()).toEqual(
      counted.map((r) => line(r.owner, r.hour, r.outcome, r.n)).sort(),
    );
    const perKeyHour = await db.$queryRaw<{ keyId: string; hour: Date; answers: bigint; refused: bigint }[]>`
      SELECT u."keyId", u.hour, sum(u.count)::bigint AS answers,
             COALESCE(sum(u.count) FILTER (WHERE u.outcome <> 'VALID'), 0)::bigint AS refused
      FROM "KeyUsageHour" u WHERE u."keyId" = ANY(${keys.map((k) => k.id)}::text[])
      GROUP BY 1, 2`;
    const totals = await db.keyUsageHourTotal.findMany({ where: { keyId: { in: keys.map((k) => k.id) } } });
    const total = (r: { keyId: string; hour: Date; answers: bigint; refused: bigint }) =>
      `${r.keyId} ${r.hour.toISOString()} ${r.answers} ${r.refused}`;
    expect(totals.map(total).sort()).toEqual(perKeyHour.map(total).sort());
  });

  it("has every key the start script prints, each seen by the demo user", () => {
    expect(seeded.keys).toHaveLength(10);
    for (const printed of seeded.keys) expect(keys.map((k) => k.name)).toContain(printed.name);
    expect(keys).toHaveLength(10);
  });

  it("each key's counters, usage and history agree: uses only while it worked, and the last one is the key's last use", async () => {
    for (const key of keys) {
      const usage = await get<Usage>(demo, `/api/v1/keys/${key.id}/usage`);
      expect(usage.usageCount, key.name).toBe(key.usageCount);
      expect(usage.lastUsedAt, key.name).toBe(key.lastUsedAt);
      expect(
        key.lastUsedAt !== null,
        `${key.name}: last used ${key.lastUsedAt} with ${key.usageCount} successful verifications`,
      ).toBe(key.usageCount > 0);
      // Within the last 30 days every success is charted; an older key may have more, never fewer.
      expect(usage.totals.VALID, key.name).toBeLessThanOrEqual(key.usageCount);
      if (Date.now() - new Date(key.createdAt).getTime() < 29 * DAY)
        expect(usage.totals.VALID, key.name).toBe(key.usageCount);
      if (key.lastUsedAt) {
        const hour = new Date(Math.floor(new Date(key.lastUsedAt).getTime() / HOUR) * HOUR).toISOString();
        const next = new Date(new Date(hour).getTime() + HOUR).toISOString();
        const last = await get<Usage>(demo, `/api/v1/keys/${key.id}/usage?granularity=hour&from=${hour}&to=${next}`);
        expect(last.totals.VALID, `${key.name}: a success in the hour it was last used`).toBeGreaterThan(0);
      }
      // No success before it was issued, or after it stopped working.
      const stopped = key.blacklist ? key.blacklist.at : key.status === "EXPIRED" ? key.expiresAt : null;
      if (stopped) {
        const from = new Date(Math.floor(new Date(stopped).getTime() / HOUR) * HOUR + HOUR).toISOString();
        const after = await get<Usage>(
          demo,
          `/api/v1/keys/${key.id}/usage?granularity=hour&from=${from}&to=${new Date().toISOString()}`,
        );
        expect(after.totals.VALID, `${key.name}: successes after it stopped`).toBe(0);
      }
      const before = new Date(Math.floor(new Date(key.createdAt).getTime() / HOUR) * HOUR - HOUR).toISOString();
      const earlier = await get<Usage>(
        demo,
        `/api/v1/keys/${key.id}/usage?granularity=hour&from=${new Date(new Date(before).getTime() - 2 * DAY).toISOString()}&to=${before}`,
      );
      expect(earlier.totals.all, `${key.name}: answers before it was issued`).toBe(0);
    }
  });

  it("the audit log holds what each key's page says happened, by whom and when", async () => {
    for (const key of keys) {
      const trail = (await get<{ items: AuditEntry[] }>(admin, `/api/v1/admin/audit?key=${key.id}&pageSize=100`)).items;
      const issued = trail.find((e) => e.action === "key.issued");
      expect(issued, `${key.name}: issued`).toBeDefined();
      expect(close(issued!.at, key.createdAt), `${key.name}: issued ${issued!.at}, created ${key.createdAt}`).toBe(
        true,
      );
      expect(issued!.actorLabel, key.name).toBe(
        key.issuedBy?.label === "Admin" ? seeded.admin.email : seeded.demo.email,
      );
      if (key.blacklist && key.blacklist.by !== "sweep") {
        const verdict = trail.find((e) => e.action === "key.revoked" || e.action === "key.blacklisted");
        expect(verdict, `${key.name}: blacklisted as ${key.blacklist.reason} by ${key.blacklist.by}`).toBeDefined();
        expect(verdict!.actorLabel, key.name).toBe(key.blacklist.by);
        expect(
          close(verdict!.at, key.blacklist.at),
          `${key.name}: audited ${verdict!.at}, blacklisted ${key.blacklist.at}`,
        ).toBe(true);
      }
      if (key.replacedById)
        expect(
          trail.map((e) => e.action),
          key.name,
        ).toContain("key.rotated");
    }
  });

  it("owners were told: of a blacklisting by someone else, and of every key inside a reminder window when the sweep ran", async () => {
    for (const key of keys) {
      const told = notices.demo.filter((n) => n.keyId === key.id);
      if (key.blacklist && key.blacklist.by !== seeded.demo.email && key.blacklist.by !== "sweep") {
        const notice = told.find((n) => n.kind === "BLACKLISTED");
        expect(notice, `${key.name}: blacklisted by ${key.blacklist.by}, yet no notice`).toBeDefined();
        expect(notice!.body, key.name).toContain(`was blacklisted as ${key.blacklist.reason}`);
        expect(close(notice!.createdAt, key.blacklist.at), key.name).toBe(true);
      }
      // Working when the sweep ran and ending within 7 days of it (as the key was then: not replaced yet).
      const createdBefore = new Date(key.createdAt).getTime() < sweptAt;
      const stoppedAfter = !key.blacklist || new Date(key.blacklist.at).getTime() > sweptAt;
      const end = key.expiresAt ? new Date(key.expiresAt).getTime() : Infinity;
      if (createdBefore && stoppedAfter && end > sweptAt && end <= sweptAt + 7 * DAY) {
        expect(
          told.some((n) => n.kind === "REMINDER"),
          `${key.name}: inside a window at the sweep, yet not reminded`,
        ).toBe(true);
      }
      for (const notice of told.filter((n) => n.kind === "REMINDER"))
        expect(close(notice.createdAt, sweptAt, 60_000), key.name).toBe(true);
    }
    // The team key's issuer, a team admin, was reminded too.
    const relay = keys.find((k) => k.name === "webhook-relay")!;
    expect(notices.admin.some((n) => n.kind === "REMINDER" && n.keyId === relay.id)).toBe(true);
  });

  it("each key's page shows the same numbers, each labelled with what it counts", async () => {
    for (const key of keys) {
      const response = await demo.request("GET", `/keys/${key.id}`);
      expect(response.status, key.name).toBe(200);
      const html = (await response.text()).replaceAll("<!-- -->", "");
      const usage = await get<Usage>(demo, `/api/v1/keys/${key.id}/usage`);
      const n = (value: number) => value.toLocaleString("en");
      expect(html, key.name).toContain(">Successful verifications<");
      expect(testId(html, "key-usage-count"), key.name).toBe(n(key.usageCount));
      expect(html, key.name).toContain(">Answers (30 days)<");
      expect(testId(html, "usage-total"), key.name).toBe(n(usage.totals.all));
      expect(testId(html, "usage-valid"), key.name).toBe(n(usage.totals.VALID));
      expect(testId(html, "usage-count"), key.name).toBe(n(key.usageCount));
      expect(html.includes("No answers in the last 30 days."), key.name).toBe(usage.totals.all === 0);
      const lastUsed = /Last used \(([\d,]+) successful verifications?\)/.exec(html);
      expect(lastUsed?.[1] ?? null, `${key.name}: the history's last use`).toBe(
        key.lastUsedAt ? n(key.usageCount) : null,
      );
      if (key.blacklist && key.blacklist.reason !== "EXPIRED") {
        expect(html, key.name).toContain(`Blacklisted as <strong>${key.blacklist.reason}</strong>`);
        expect(html, key.name).toContain(`by ${key.blacklist.by}`);
        expect(html, `${key.name}: its history`).toMatch(
          key.blacklist.reason === "LEAKED" ? />Blacklisted by an admin</ : />Revoked</,
        );
      }
    }
  });
});
