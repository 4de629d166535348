// Verification over real HTTP against `next start`: every code, expiry at the instant, the
// gate, 503 with the database down, 429, and usage recorded without blocking.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeTestDb, seedKey, seedUser, testDb } from "@/test-support/db";
import { testEnv } from "@/test-support/env";
import { sleep, verify } from "@/test-support/http";
import { generateKey } from "../format";

let owner: Awaited<ReturnType<typeof seedUser>>;

beforeAll(async () => {
  owner = await seedUser(testDb());
});
afterAll(closeTestDb);

const gate = (headers: Record<string, string>) => fetch(`${testEnv.baseUrl}/api/v1/protected/whoami`, { headers });

describe("POST /api/v1/keys/verify", () => {
  it("answers VALID with the key's id, name, owner, scopes and remaining lifetime", async () => {
    const expiresAt = new Date(Date.now() + 3600_000);
    const key = await seedKey(testDb(), { userId: owner.id, name: "valid one", scopes: ["read", "write"], expiresAt });
    const { status, body } = await verify(key.plaintext);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      valid: true,
      code: "VALID",
      keyId: key.id,
      name: "valid one",
      ownerId: owner.id,
      scopes: ["read", "write"],
      expiresAt: expiresAt.toISOString(),
    });
    expect(body.expiresInSeconds).toBeGreaterThan(3500);
    expect(body.expiresInSeconds).toBeLessThanOrEqual(3600);
  });

  it("tells EXPIRED (with when and where to renew), NOT_FOUND, REVOKED and LEAKED apart", async () => {
    const db = testDb();
    const expiredAt = new Date(Date.now() - 1);
    const expired = await seedKey(db, { userId: owner.id, expiresAt: expiredAt });
    const revoked = await seedKey(db, { userId: owner.id, blacklist: { reason: "REVOKED" } });
    const leaked = await seedKey(db, { userId: owner.id, blacklist: { reason: "LEAKED", note: "pasted in chat" } });
    const neverIssued = generateKey(process.env.KEY_PREFIX ?? "kw").plaintext;

    expect((await verify(expired.plaintext)).body).toMatchObject({
      valid: false,
      code: "EXPIRED",
      keyId: expired.id,
      expiredAt: expiredAt.toISOString(),
      renewUrl: `${process.env.APP_URL}/keys/${expired.id}?renew=1`,
    });
    expect((await verify(neverIssued)).body).toMatchObject({ valid: false, code: "NOT_FOUND" });
    expect((await verify(revoked.plaintext)).body).toMatchObject({ valid: false, code: "REVOKED", reason: "REVOKED" });
    expect((await verify(leaked.plaintext)).body).toMatchObject({ valid: false, code: "REVOKED", reason: "LEAKED" });
  });

  it("expires a key at the instant, with no sweep in between, in the route and the gate", async () => {
    const key = await seedKey(testDb(), { userId: owner.id, expiresAt: new Date(Date.now() + 2000) });
    expect((await verify(key.plaintext)).body.code).toBe("VALID");
    expect((await gate({ authorization: `Bearer ${key.plaintext}` })).status).toBe(200);
    await sleep(2100);
    expect((await verify(key.plaintext)).body).toMatchObject({ code: "EXPIRED", keyId: key.id });
    const refused = await gate({ authorization: `Bearer ${key.plaintext}` });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ code: "EXPIRED", renewUrl: expect.stringContaining(key.id) });
    const row = await testDb().blacklistedKey.findUnique({ where: { keyId: key.id } });
    expect(row).toBeNull(); // nothing swept it: the check itself refused it
  });

  it("answers INSUFFICIENT_SCOPE for a valid key without the requested scope", async () => {
    const key = await seedKey(testDb(), { userId: owner.id, scopes: ["read"] });
    expect((await verify(key.plaintext, "read")).body.code).toBe("VALID");
    expect((await verify(key.plaintext, "write")).body).toMatchObject({
      code: "INSUFFICIENT_SCOPE",
      requiredScope: "write",
    });
  });

  it("answers MALFORMED for wrong prefix, length, alphabet or checksum", async () => {
    const { plaintext } = generateKey("kw");
    const broken = [
      `zz${plaintext.slice(2)}`,
      plaintext.slice(0, -2),
      `${plaintext.slice(0, 8)}!${plaintext.slice(9)}`,
      `${plaintext.slice(0, 8)}${plaintext[8] === "a" ? "b" : "a"}${plaintext.slice(9)}`,
      "",
    ];
    for (const key of broken) expect((await verify(key)).body, key).toMatchObject({ valid: false, code: "MALFORMED" });
  });

  it("records lastUsedAt and the usage count shortly after, without a write per call", async () => {
    const key = await seedKey(testDb(), { userId: owner.id });
    for (let i = 0; i < 5; i++) await verify(key.plaintext);
    let row = null;
    for (let i = 0; i < 30 && !(row?.usageCount === 5n); i++) {
      await sleep(100);
      row = await testDb().apiKey.findUnique({ where: { id: key.id }, select: { usageCount: true, lastUsedAt: true } });
    }
    expect(row?.usageCount).toBe(5n);
    expect(row?.lastUsedAt?.getTime()).toBeGreaterThan(Date.now() - 60_000);
  });
});

describe("with the database down", () => {
  it("answers MALFORMED without touching the database, 503 (never VALID) for a real-looking key, the gate too, then 429", async () => {
    const down = (key: string) => verify(key, undefined, testEnv.downUrl);
    const malformed = await down("kw_not-a-key");
    expect(malformed).toMatchObject({ status: 200, body: { code: "MALFORMED" } });

    const { plaintext } = generateKey("kw");
    const unavailable = await down(plaintext);
    expect(unavailable.status).toBe(503);
    expect(unavailable.body).toMatchObject({ status: 503, code: "SERVICE_UNAVAILABLE" });
    expect(unavailable.body.valid).toBeUndefined();

    const gated = await fetch(`${testEnv.downUrl}/api/v1/protected/whoami`, {
      headers: { "x-api-key": generateKey("kw").plaintext },
    });
    expect(gated.status).toBe(503);

    // The down server allows 3 key checks a minute per client, verify and gate together. The
    // client is the socket's peer: a new X-Forwarded-For on each request changes nothing.
    const limited = await fetch(`${testEnv.downUrl}/api/v1/keys/verify`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": "203.0.113.99" },
      body: JSON.stringify({ key: plaintext }),
    });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ status: 429, code: "RATE_LIMITED" });
    const gateLimited = await fetch(`${testEnv.downUrl}/api/v1/protected/whoami`, {
      headers: { "x-api-key": plaintext, "x-forwarded-for": "203.0.113.100", "x-keyward-client-ip": "203.0.113.101" },
    });
    expect(gateLimited.status).toBe(429);
  });
});

describe("the gate (proxy.ts) on /api/v1/protected/whoami", () => {
  it("answers 401 with WWW-Authenticate when no key is sent", async () => {
    const response = await gate({});
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer realm="keyward"/);
  });

  it("answers 403 with the verify route's code for bad keys", async () => {
    const revoked = await seedKey(testDb(), { userId: owner.id, blacklist: { reason: "LEAKED" } });
    for (const [key, code] of [
      ["kw_garbage", "MALFORMED"],
      [generateKey("kw").plaintext, "NOT_FOUND"],
      [revoked.plaintext, "REVOKED"],
    ] as const) {
      const response = await gate({ "x-api-key": key });
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ valid: false, code });
    }
  });

  it("lets a valid key through (Bearer or X-API-Key) and the route knows the key and owner", async () => {
    const key = await seedKey(testDb(), { userId: owner.id, name: "gate key" });
    const variants: Record<string, string>[] = [
      { authorization: `Bearer ${key.plaintext}` },
      { "x-api-key": key.plaintext },
    ];
    for (const headers of variants) {
      const response = await gate(headers);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        key: { id: key.id, name: "gate key" },
        owner: { id: owner.id, email: owner.email },
      });
    }
  });

  it("ignores a forged x-keyward-key header", async () => {
    const forged = Buffer.from(JSON.stringify({ valid: true, code: "VALID", keyId: "x", ownerId: owner.id })).toString(
      "base64url",
    );
    expect((await gate({ "x-keyward-key": forged })).status).toBe(401);
    const revoked = await seedKey(testDb(), { userId: owner.id, blacklist: { reason: "REVOKED" } });
    expect((await gate({ "x-keyward-key": forged, "x-api-key": revoked.plaintext })).status).toBe(403);
  });
});
