// Admin key search over real HTTP: a substring of the key's name, its display prefix, its last 4
// characters, or its owner's address or name finds it; the owner terms are looked up first (see
// list-keys.ts), so they must still combine with the key terms and the tabs.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeTestDb, seedKey, seedUser, testDb } from "@/test-support/db";
import { signIn, type Session } from "@/test-support/http";

let admin: Session;
const tag = randomUUID().slice(0, 8);
let owner: Awaited<ReturnType<typeof seedUser>>;
let key: Awaited<ReturnType<typeof seedKey>>;
let other: Awaited<ReturnType<typeof seedKey>>;

beforeAll(async () => {
  const db = testDb();
  const adminUser = await seedUser(db, { role: "ADMIN" });
  admin = await signIn(adminUser.email, adminUser.password);
  owner = await seedUser(db, { email: `owner-${tag}@search.test`, name: `Grace Hopper ${tag}` });
  key = await seedKey(db, { userId: owner.id, name: `billing-${tag}-worker` });
  const stranger = await seedUser(db);
  other = await seedKey(db, { userId: stranger.id, name: `unrelated-${tag}` });
});
afterAll(closeTestDb);

async function search(q: string, tab = "all"): Promise<string[]> {
  const response = await admin.request("GET", `/api/v1/admin/keys?tab=${tab}&pageSize=100&q=${encodeURIComponent(q)}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { items: { id: string }[] }).items.map((k) => k.id);
}

describe("admin key search", () => {
  it("finds a key by a substring of its name, its prefix or its last 4, and by its owner's address or name", async () => {
    const row = await testDb().apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(await search(`LING-${tag}-WOR`)).toEqual([key.id]); // name, any case
    expect(await search(row.prefix)).toContain(key.id);
    expect(await search(row.last4)).toContain(key.id);
    expect(await search(`owner-${tag}@SEARCH`)).toEqual([key.id]); // address, any case
    expect(await search(`hopper ${tag}`)).toEqual([key.id]); // name
    expect(new Set(await search(tag))).toEqual(new Set([key.id, other.id])); // key name or owner
    expect(await search(`no-such-${tag}`)).toEqual([]);
  });

  it("keeps the tab's condition when the owner matches", async () => {
    expect(await search(`owner-${tag}`, "blacklisted")).toEqual([]);
    expect(await search(`owner-${tag}`, "active")).toEqual([key.id]);
  });

  it("pages through owner matches and key matches as one list, newest first, each key once", async () => {
    const db = testDb();
    const term = `merge-${tag}`;
    const person = await seedUser(db, { email: `${term}@search.test` });
    const day = 86_400_000;
    // The owner's keys are old, the keys named after the term new; one key matches both ways.
    const ownersKeys = await Promise.all(
      [40, 30, 20].map((ago) =>
        seedKey(db, { userId: person.id, name: `old-${ago}`, createdAt: new Date(Date.now() - ago * day) }),
      ),
    );
    const both = await seedKey(db, {
      userId: person.id,
      name: `${term}-both`,
      createdAt: new Date(Date.now() - 10 * day),
    });
    const stranger = await seedUser(db);
    const named = await Promise.all(
      [3, 2, 1].map((ago) =>
        seedKey(db, { userId: stranger.id, name: `${term}-${ago}`, createdAt: new Date(Date.now() - ago * day) }),
      ),
    );
    const newestFirst = [...named.reverse(), both, ...ownersKeys.reverse()].map((k) => k.id);
    const pages: string[] = [];
    for (let page = 1; page <= 4; page += 1) {
      const response = await admin.request(
        "GET",
        `/api/v1/admin/keys?tab=all&pageSize=2&page=${page}&q=${encodeURIComponent(term)}`,
      );
      const body = (await response.json()) as { items: { id: string }[]; hasNext: boolean };
      pages.push(...body.items.map((k) => k.id));
      expect(body.hasNext, `page ${page}`).toBe(page < 4);
    }
    expect(pages).toEqual(newestFirst);
    // Oldest first too.
    const ascending = await admin.request(
      "GET",
      `/api/v1/admin/keys?tab=all&pageSize=100&dir=asc&q=${encodeURIComponent(term)}`,
    );
    expect(((await ascending.json()) as { items: { id: string }[] }).items.map((k) => k.id)).toEqual(
      [...newestFirst].reverse(),
    );
  });
});
