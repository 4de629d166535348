// A key's life through the API: issue, list, rotate with grace, revoke, admin blacklist by
// pasted key; each step audited. Over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeTestDb, seedUser, testDb } from "@/test-support/db";
import { signIn, sleep, verify, type Session } from "@/test-support/http";
import { announceKeyChange } from "@/test-support/key-change";

let owner: Session;
let ownerId: string;
let admin: Session;

beforeAll(async () => {
  const db = testDb();
  const o = await seedUser(db);
  const a = await seedUser(db, { role: "ADMIN" });
  ownerId = o.id;
  [owner, admin] = await Promise.all([signIn(o.email, o.password), signIn(a.email, a.password)]);
});
afterAll(closeTestDb);

interface Issued {
  plaintext: string;
  key: { id: string; masked: string; status: string; expiresAt: string };
}

async function issue(name: string, expiry: unknown = { type: "days", days: 30 }): Promise<Issued> {
  const response = await owner.request("POST", "/api/v1/keys", { name, scopes: ["read"], expiry });
  expect(response.status).toBe(201);
  return (await response.json()) as Issued;
}

async function auditActions(keyId: string) {
  return (await testDb().auditEvent.findMany({ where: { keyId }, orderBy: { at: "asc" } })).map((e) => e.action);
}

describe("key lifecycle", () => {
  it("issues a key shown once, lists it masked, and it verifies", async () => {
    const issued = await issue("lifecycle");
    expect(issued.plaintext).toMatch(/^kw_[0-9A-Za-z]{36}$/);
    expect(issued.key.masked).toBe(`${issued.plaintext.slice(0, 7)}…${issued.plaintext.slice(-4)}`);
    expect(new Date(issued.key.expiresAt).getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    const list = (await (await owner.request("GET", "/api/v1/keys?tab=active")).json()) as {
      items: Record<string, unknown>[];
    };
    const listed = list.items.find((k) => k.id === issued.key.id)!;
    expect(listed).toBeDefined();
    expect(JSON.stringify(list)).not.toContain(issued.plaintext);
    expect(listed.hash).toBeUndefined();
    expect((await verify(issued.plaintext)).body).toMatchObject({ code: "VALID", ownerId });
    expect(await auditActions(issued.key.id)).toEqual(["key.issued"]);
  });

  it("rotates with a grace period: both keys work during it, then the old one is ROTATED", async () => {
    const old = await issue("rotating");
    const rotated = await owner.request("POST", `/api/v1/keys/${old.key.id}/rotate`, { grace: "1h" });
    expect(rotated.status).toBe(201);
    const body = (await rotated.json()) as Issued & {
      previous: { status: string; graceEndsAt: string; replacedById: string };
    };
    expect(body.previous).toMatchObject({ status: "GRACE", replacedById: body.key.id });
    expect((await verify(old.plaintext)).body).toMatchObject({ code: "VALID", graceEndsAt: body.previous.graceEndsAt });
    expect((await verify(body.plaintext)).body.code).toBe("VALID");

    // The grace period ends (moved to the past here): refused at once, before any sweep.
    await testDb().apiKey.update({ where: { id: old.key.id }, data: { graceEndsAt: new Date(Date.now() - 1) } });
    await announceKeyChange(testDb(), old.key.id);
    expect((await verify(old.plaintext)).body).toMatchObject({ code: "REVOKED", reason: "ROTATED" });
    expect((await owner.request("POST", `/api/v1/keys/${old.key.id}/rotate`, {})).status).toBe(409);
    expect(await auditActions(old.key.id)).toEqual(["key.issued", "key.rotated"]);
  });

  it("rotates without grace: the old key is blacklisted as ROTATED immediately", async () => {
    const old = await issue("no-grace");
    const response = await owner.request("POST", `/api/v1/keys/${old.key.id}/rotate`, { grace: "none" });
    expect(response.status).toBe(201);
    expect((await verify(old.plaintext)).body).toMatchObject({ code: "REVOKED", reason: "ROTATED" });
  });

  it("renews an expired key: same name and scopes, new expiry", async () => {
    const old = await issue("short-lived");
    await testDb().apiKey.update({ where: { id: old.key.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const response = await owner.request("POST", `/api/v1/keys/${old.key.id}/rotate`, {
      expiry: { type: "days", days: 30 },
    });
    const body = (await response.json()) as Issued & { key: { name: string; scopes: string[] } };
    expect(response.status).toBe(201);
    expect(body.key).toMatchObject({ name: "short-lived", scopes: ["read"], status: "ACTIVE" });
    expect((await verify(body.plaintext)).body.code).toBe("VALID");
    expect((await verify(old.plaintext)).body.code).toBe("EXPIRED");
  });

  it("revokes: REVOKED at once, twice is a 409, and the audit names the actor and IP", async () => {
    const issued = await issue("to-revoke");
    const response = await owner.request("POST", `/api/v1/keys/${issued.key.id}/revoke`, { note: "no longer needed" });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: "BLACKLISTED",
      blacklist: { reason: "REVOKED", note: "no longer needed" },
    });
    expect((await verify(issued.plaintext)).body).toMatchObject({ code: "REVOKED", reason: "REVOKED" });
    expect((await owner.request("POST", `/api/v1/keys/${issued.key.id}/revoke`, {})).status).toBe(409);
    const event = await testDb().auditEvent.findFirst({ where: { keyId: issued.key.id, action: "key.revoked" } });
    expect(event).toMatchObject({ actorId: ownerId });
    expect(event?.ip).toBeTruthy();
  });

  it("an admin blacklists a pasted leaked key; the owner sees LEAKED with the note", async () => {
    const issued = await issue("leaky");
    const response = await admin.request("POST", "/api/v1/admin/blacklist", {
      key: issued.plaintext,
      reason: "LEAKED",
      note: "found in a public repo",
    });
    expect(response.status).toBe(200);
    expect((await verify(issued.plaintext)).body).toMatchObject({ code: "REVOKED", reason: "LEAKED" });
    const seen = (await (await owner.request("GET", `/api/v1/keys/${issued.key.id}`)).json()) as { blacklist: unknown };
    expect(seen.blacklist).toMatchObject({ reason: "LEAKED", note: "found in a public repo" });
    const list = (await (await owner.request("GET", "/api/v1/keys?tab=blacklisted&pageSize=100")).json()) as {
      items: { id: string }[];
    };
    expect(list.items.map((k) => k.id)).toContain(issued.key.id);
    const event = await testDb().auditEvent.findFirst({ where: { keyId: issued.key.id, action: "key.blacklisted" } });
    expect(event?.detail).toMatchObject({ reason: "LEAKED", via: "pasted key" });
  });

  it("an admin can upgrade an expired key's verdict to LEAKED, but not blacklist it twice the same way", async () => {
    const issued = await issue("expired-then-leaked");
    await testDb().blacklistedKey.create({ data: { keyId: issued.key.id, reason: "EXPIRED", actorLabel: "sweep" } });
    expect(
      (await admin.request("POST", "/api/v1/admin/blacklist", { keyId: issued.key.id, reason: "LEAKED" })).status,
    ).toBe(200);
    expect(
      (await admin.request("POST", "/api/v1/admin/blacklist", { keyId: issued.key.id, reason: "LEAKED" })).status,
    ).toBe(409);
    expect((await verify(issued.plaintext)).body).toMatchObject({ code: "REVOKED", reason: "LEAKED" });
  });

  it("two concurrent rotations of one key create exactly one replacement", async () => {
    const old = await issue("double-click");
    const results = await Promise.all(
      [1, 2].map(() => owner.request("POST", `/api/v1/keys/${old.key.id}/rotate`, { grace: "1h" })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    await sleep(10);
    expect(await testDb().apiKey.count({ where: { userId: ownerId, name: "double-click" } })).toBe(2);
  });
});
