// Authorization over HTTP: nobody reaches another user's key through any route, non-admins
// cannot blacklist or list all keys, and every refusal is a 401/403/404 problem, never a 500.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeTestDb, seedKey, seedUser, testDb } from "@/test-support/db";
import { testEnv } from "@/test-support/env";
import { expectProblemShape, signIn, verify, type Session } from "@/test-support/http";

let alice: Session;
let bob: Session;
let bobKey: Awaited<ReturnType<typeof seedKey>>;
let bobId: string;

beforeAll(async () => {
  const db = testDb();
  const a = await seedUser(db);
  const b = await seedUser(db);
  bobId = b.id;
  await seedKey(db, { userId: a.id, name: "alice key" });
  bobKey = await seedKey(db, { userId: b.id, name: "bob key" });
  [alice, bob] = await Promise.all([signIn(a.email, a.password), signIn(b.email, b.password)]);
});
afterAll(closeTestDb);

describe("another user's key", () => {
  it("is absent from the list", async () => {
    const response = await alice.request("GET", "/api/v1/keys?tab=all&pageSize=100");
    expect(response.status).toBe(200);
    const page = (await response.json()) as { items: { id: string; ownerId: string }[] };
    expect(page.items.some((k) => k.id === bobKey.id)).toBe(false);
    expect(page.items.every((k) => k.ownerId !== bobId)).toBe(true);
  });

  it("cannot be read, revoked or rotated: 404 like a missing key, and nothing changes", async () => {
    for (const [method, path, body] of [
      ["GET", `/api/v1/keys/${bobKey.id}`, undefined],
      ["POST", `/api/v1/keys/${bobKey.id}/revoke`, {}],
      ["POST", `/api/v1/keys/${bobKey.id}/rotate`, { grace: "none" }],
    ] as const) {
      const response = await alice.request(method, path, body);
      expect(response.status, `${method} ${path}`).toBe(404);
      expectProblemShape(await response.json(), 404);
    }
    expect((await verify(bobKey.plaintext)).body.code).toBe("VALID");
    expect(await testDb().apiKey.count({ where: { userId: bobId } })).toBe(1);
  });

  it("the owner can read it", async () => {
    expect((await bob.request("GET", `/api/v1/keys/${bobKey.id}`)).status).toBe(200);
  });
});

describe("admin routes", () => {
  it("refuse a non-admin with 403", async () => {
    const blacklist = await alice.request("POST", "/api/v1/admin/blacklist", { keyId: bobKey.id, reason: "LEAKED" });
    expect(blacklist.status).toBe(403);
    expectProblemShape(await blacklist.json(), 403);
    const list = await alice.request("GET", "/api/v1/admin/keys");
    expect(list.status).toBe(403);
    expect((await verify(bobKey.plaintext)).body.code).toBe("VALID");
  });

  it("refuse anonymous callers with 401", async () => {
    for (const [method, path] of [
      ["GET", "/api/v1/keys"],
      ["POST", "/api/v1/keys"],
      ["POST", `/api/v1/keys/${bobKey.id}/revoke`],
      ["POST", "/api/v1/admin/blacklist"],
      ["GET", "/api/v1/admin/keys"],
    ] as const) {
      const response = await fetch(`${testEnv.baseUrl}${path}`, {
        method,
        headers: { "content-type": "application/json" },
        body: method === "POST" ? "{}" : undefined,
      });
      expect(response.status, `${method} ${path}`).toBe(401);
      expectProblemShape(await response.json(), 401);
    }
  });
});

describe("portal pages", () => {
  it("send signed-out visitors to sign-in, with the way back", async () => {
    const response = await fetch(`${testEnv.baseUrl}/keys?tab=expiring`, { redirect: "manual" });
    expect(response.status).toBe(307);
    const location = new URL(response.headers.get("location")!, testEnv.baseUrl);
    expect(location.pathname).toBe("/sign-in");
    expect(location.searchParams.get("callbackUrl")).toBe("/keys?tab=expiring");
  });
});
