// One meaning of "expiring soon" (expiring-soon.ts), seen from every side over real HTTP: the
// renewal banner's count, the Expiring soon tab's count and rows, the chart, the API's list and
// flags, and the reminders the sweep records all name the same keys, for a person with personal
// keys, a team they own and a team they only belong to, keys in grace, rotated keys, and keys
// that stop working later than the window.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { createMailer } from "@/lib/notify/mailer";
import { runSweep } from "@/lib/sweep/run-sweep";
import { closeTestDb, seedKey, seedTeam, seedToken, seedUser, testDb } from "@/test-support/db";
import { signIn, type Session } from "@/test-support/http";

const DAY = 86_400_000;
const HOUR = 3_600_000;

interface ListedKey {
  id: string;
  name: string;
  expiresAt: string | null;
  graceEndsAt: string | null;
  worksUntil: string | null;
  expiringSoon: boolean;
}

let session: Session;
let userId: string;
let teamId: string;
/** Names of the keys the person is responsible for that stop working within 7 days. */
const expected = new Set<string>();
const ids = new Map<string, string>();

beforeAll(async () => {
  const db = testDb();
  const user = await seedUser(db);
  const other = await seedUser(db);
  userId = user.id;
  const owned = await seedTeam(db, { owner: user.id });
  const joined = await seedTeam(db, { owner: other.id, members: [{ userId: user.id, role: "MEMBER" }] });
  teamId = owned.id;
  const now = Date.now();
  const at = (ms: number) => new Date(now + ms);
  const key = async (name: string, counted: boolean, input: Omit<Parameters<typeof seedKey>[1], "name">) => {
    const made = await seedKey(db, { name, ...input });
    ids.set(name, made.id);
    if (counted) expected.add(name);
    return made;
  };
  const personal = { userId: user.id };

  await key("p-soon", true, { ...personal, expiresAt: at(2 * DAY) });
  await key("p-later", false, { ...personal, expiresAt: at(30 * DAY) });
  // Rotated 6 days and an hour ago with a 7-day grace: stops working in 23 hours, though its
  // expiry is a month away.
  const pNew = await key("p-new", false, { ...personal, createdAt: at(-6 * DAY - HOUR), expiresAt: at(84 * DAY) });
  await key("p-old", true, {
    ...personal,
    expiresAt: at(30 * DAY),
    graceEndsAt: at(DAY - HOUR),
    replacedById: pNew.id,
  });
  // Rotated yesterday to keep working until its expiry, in 3 days.
  const pUntilNew = await key("p-until-new", false, { ...personal, createdAt: at(-DAY), expiresAt: at(89 * DAY) });
  await key("p-until", true, { ...personal, expiresAt: at(3 * DAY), replacedById: pUntilNew.id });
  await key("p-revoked", false, { ...personal, expiresAt: at(2 * DAY), blacklist: { reason: "REVOKED" } });
  await key("p-expired", false, { ...personal, expiresAt: at(-HOUR) });
  const pOverNew = await key("p-grace-over-new", false, {
    ...personal,
    createdAt: at(-2 * DAY),
    expiresAt: at(60 * DAY),
  });
  await key("p-grace-over", false, {
    ...personal,
    expiresAt: at(30 * DAY),
    graceEndsAt: at(-60_000),
    replacedById: pOverNew.id,
  });
  // An API token shares the table; it is no key of these lists.
  await seedToken(db, { userId: user.id, scopes: ["keys:read"], name: "p-token", expiresAt: at(2 * DAY) });

  await key("t1-soon", true, { teamId: owned.id, issuedById: other.id, expiresAt: at(4 * DAY) });
  const t1New = await key("t1-new", false, {
    teamId: owned.id,
    issuedById: user.id,
    createdAt: at(-6.5 * DAY),
    expiresAt: at(80 * DAY),
  });
  await key("t1-grace", true, {
    teamId: owned.id,
    issuedById: user.id,
    expiresAt: at(60 * DAY),
    graceEndsAt: at(0.5 * DAY),
    replacedById: t1New.id,
  });
  await key("t1-later", false, { teamId: owned.id, issuedById: user.id, expiresAt: at(20 * DAY) });
  // A team they only belong to: the key they issued is theirs to mind, the other member's is not.
  await key("t2-mine", true, { teamId: joined.id, issuedById: user.id, expiresAt: at(5 * DAY) });
  await key("t2-theirs", false, { teamId: joined.id, issuedById: other.id, expiresAt: at(5 * DAY) });

  session = await signIn(user.email, user.password);
});
afterAll(async () => {
  await closeTestDb();
  await prisma.$disconnect();
});

async function listed(query: string): Promise<{ items: ListedKey[]; total: number | null }> {
  const response = await session.request("GET", `/api/v1/keys?pageSize=100&${query}`);
  expect(response.status, `GET /api/v1/keys?${query}`).toBe(200);
  return (await response.json()) as { items: ListedKey[]; total: number | null };
}

const names = (items: { name: string }[]) => items.map((k) => k.name).sort();
const only = (prefix: string) => [...expected].filter((n) => n.startsWith(prefix)).sort();

/** What a page shows: the banner's count, the tab counts, the chart's "within the window", the rows' names. */
async function page(path: string) {
  const response = await session.request("GET", path);
  expect(response.status, path).toBe(200);
  const html = (await response.text()).replaceAll("<!-- -->", "");
  const tab = (label: string) => Number(new RegExp(`>${label}<span[^>]*>(\\d+)</span>`).exec(html)?.[1]);
  const rows = html
    .split('data-testid="key-row"')
    .slice(1)
    .map((row) => row.slice(0, row.indexOf("</tr>")));
  return {
    banner: Number(/data-testid="renewal-banner" data-count="(\d+)"/.exec(html)?.[1] ?? 0),
    bannerLink: /href="(\/keys\?view=responsible&amp;tab=expiring)"/.exec(html)?.[1]?.replaceAll("&amp;", "&") ?? null,
    expiringTab: tab("Expiring soon"),
    chartSoon: Number(/data-testid="timeline-totals"><span[^>]*>(\d+) within 7 days/.exec(html)?.[1]),
    rows: [...ids.keys()].filter((name) => rows.some((row) => row.includes(`>${name}</a>`))).sort(),
  };
}

describe("expiring soon means one thing everywhere", () => {
  it("the API lists exactly the keys the person is responsible for that stop working within the window", async () => {
    const { items, total } = await listed("view=responsible&tab=expiring");
    expect(names(items)).toEqual([...expected].sort());
    expect(total).toBe(expected.size);
    for (const key of items) {
      expect(key.expiringSoon, key.name).toBe(true);
      const ends = [key.expiresAt, key.graceEndsAt]
        .filter((t): t is string => t !== null)
        .map((t) => new Date(t).getTime());
      expect(key.worksUntil, key.name).toBe(new Date(Math.min(...ends)).toISOString());
    }
    // The flag on every key agrees with the tab.
    const all = await listed("view=responsible&tab=all");
    expect(names(all.items.filter((k) => k.expiringSoon))).toEqual([...expected].sort());
    expect(all.items.map((k) => k.name)).not.toContain("p-token");
  });

  it("the banner counts them, and its link opens the view that lists exactly them, with the same tab count and chart", async () => {
    const anywhere = await page("/keys");
    expect(anywhere.banner).toBe(expected.size);
    expect(anywhere.bannerLink).toBe("/keys?view=responsible&tab=expiring");
    const view = await page(anywhere.bannerLink!);
    expect(view.rows).toEqual([...expected].sort());
    expect(view.expiringTab).toBe(expected.size);
    expect(view.chartSoon).toBe(expected.size);
    expect(view.banner).toBe(expected.size);
  });

  it("each context's tab, chart and API list hold that context's share of them", async () => {
    const personal = await page("/keys?tab=expiring");
    expect(personal.rows).toEqual(only("p-"));
    expect(personal.expiringTab).toBe(only("p-").length);
    expect(personal.chartSoon).toBe(only("p-").length);
    expect(names((await listed("tab=expiring")).items)).toEqual(only("p-"));
    expect(names((await listed(`tab=expiring&team=${teamId}`)).items)).toEqual(only("t1-"));
  });

  it("the sweep reminds the person of the same keys, each about when it stops working, except windows entered before a rotation", async () => {
    await runSweep({ trigger: "test", mailer: createMailer(undefined, "x") });
    const notices = await testDb().notification.findMany({ where: { userId, kind: "REMINDER", keyKind: "KEY" } });
    const byId = new Map([...ids].map(([name, id]) => [id, name]));
    // p-until entered the 7-day window four days before it was rotated: its rotation was the news.
    expect(notices.map((n) => byId.get(n.keyId!)).sort()).toEqual([...expected].filter((n) => n !== "p-until").sort());
    const { items } = await listed("view=responsible&tab=expiring");
    for (const notice of notices) {
      const key = items.find((k) => k.id === notice.keyId)!;
      expect(notice.keyExpiresAt?.toISOString(), key.name).toBe(key.worksUntil);
      expect(notice.reason, key.name).toBe(key.graceEndsAt ? "ROTATED" : null);
    }
  });
});
