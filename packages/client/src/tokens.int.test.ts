// The SDK with an API token against the real server (needs the token routes and Bearer
// authentication, issue 20 parts 1–2): management calls, the token routes themselves, the typed
// refusals of a bad token, and verification by an authenticated verifier, whose `ip` Keyward
// honours (an anonymous caller's it refuses).
import { createServer } from "node:http";
import express from "express";
import { beforeAll, afterAll, beforeEach, describe, expect, it } from "vitest";
import { KeywardApiError, KeywardClient, type TokenScope } from "@keyward/client";
import { keywardExpress } from "@keyward/client/express";
import { generateKey } from "@/lib/keys/format";
import { closeTestDb, seedKey, seedToken, seedUser, testDb } from "@/test-support/db";
import { testEnv } from "@/test-support/env";
import { signIn, verify, type Session } from "@/test-support/http";
import { createToken, type MadeToken } from "../test-support/tokens";
import { listen } from "../test-support/web-server";
import type { AppServer } from "@/server/app-server";
import { startInstances } from "@/test-support/app-instances";

let owner: Awaited<ReturnType<typeof seedUser>>;
let session: Session;

beforeAll(async () => {
  owner = await seedUser(testDb());
  session = await signIn(owner.email, owner.password);
});
afterAll(closeTestDb);

async function tokenWith(scopes: TokenScope[], expiry?: object): Promise<MadeToken & { client: KeywardClient }> {
  const made = await createToken(session, scopes, expiry);
  return { ...made, client: new KeywardClient({ baseUrl: testEnv.baseUrl, token: made.plaintext }) };
}

describe("KeywardClient with an API token", () => {
  let manager: KeywardClient;
  beforeEach(async () => {
    // 30 days: a token makes only tokens that expire no later than itself.
    manager ??= (
      await tokenWith(["keys:read", "keys:write", "tokens:read", "tokens:write", "teams:read", "webhooks:read"], {
        type: "days",
        days: 30,
      })
    ).client;
  });

  it("manages keys with Authorization: Bearer", async () => {
    const issued = await manager.keys.issue({
      name: "token managed",
      scopes: ["read"],
      expiry: { type: "days", days: 30 },
    });
    expect((await manager.keys.list({ q: "token managed" })).items.map((k) => k.id)).toContain(issued.key.id);
    const rotated = await manager.keys.rotate(issued.key.id, { grace: "24h" });
    expect(rotated.previous.replacedById).toBe(rotated.key.id);
    expect((await manager.keys.revoke(rotated.key.id)).status).toBe("BLACKLISTED");
    expect((await manager.teams.list()).items).toEqual(expect.any(Array));
    expect((await manager.webhooks.list()).items).toEqual(expect.any(Array));
  });

  it("issues, reads, lists, rotates and revokes tokens; a token rotates itself", async () => {
    const issued = await manager.tokens.issue({
      name: "sdk issued",
      scopes: ["keys:read"],
      expiry: { type: "days", days: 7 },
    });
    expect(issued.plaintext).toMatch(/^kwt_[0-9A-Za-z]{36}$/);
    expect(issued.token).toMatchObject({
      name: "sdk issued",
      scopes: ["keys:read"],
      owner: { type: "user", id: owner.id },
    });
    // A token hands on only the scopes it has, and makes none that outlives it.
    await expect(
      manager.tokens.issue({ name: "wider", scopes: ["verify"], expiry: { type: "days", days: 7 } }),
    ).rejects.toMatchObject({ status: 403 });
    await expect(
      manager.tokens.issue({ name: "longer", scopes: ["keys:read"], expiry: { type: "days", days: 60 } }),
    ).rejects.toMatchObject({ status: 422 });
    expect((await manager.tokens.get(issued.token.id)).id).toBe(issued.token.id);
    expect((await manager.tokens.list()).items.map((t) => t.id)).toContain(issued.token.id);
    const rotated = await manager.tokens.rotate(issued.token.id, { grace: "1h" });
    expect(rotated.previous.replacedById).toBe(rotated.token.id);
    expect((await manager.tokens.revoke(rotated.token.id, { note: "sdk test" })).id).toBe(rotated.token.id);

    const ci = await tokenWith(["keys:read"]);
    const renewed = await ci.client.tokens.rotateSelf({ grace: "none" });
    expect(renewed.previous.id).toBe(ci.id);
    const next = new KeywardClient({ baseUrl: testEnv.baseUrl, token: renewed.plaintext });
    expect((await next.keys.list()).items).toEqual(expect.any(Array));
    await expect(ci.client.keys.list()).rejects.toMatchObject({ status: 401 });
  });

  it("surfaces a bad token as KeywardApiError: UNAUTHORIZED (unknown), EXPIRED (with expiredAt and renewUrl), REVOKED, and 403 INSUFFICIENT_SCOPE with requiredScope", async () => {
    const unknown = new KeywardClient({ baseUrl: testEnv.baseUrl, token: generateKey("kwt").plaintext });
    await expect(unknown.keys.list()).rejects.toMatchObject({ status: 401, code: "UNAUTHORIZED" });

    const expiredAt = new Date(Date.now() - 60_000);
    const lapsed = await seedToken(testDb(), { userId: owner.id, scopes: ["keys:read"], expiresAt: expiredAt });
    const expired = (await new KeywardClient({ baseUrl: testEnv.baseUrl, token: lapsed.plaintext }).keys
      .list()
      .catch((e: unknown) => e)) as KeywardApiError;
    expect(expired).toBeInstanceOf(KeywardApiError);
    expect(expired).toMatchObject({ status: 401, code: "EXPIRED" });
    expect(expired.expiredAt).toBe(expiredAt.toISOString());
    expect(expired.renewUrl).toEqual(expect.stringMatching(/^http/));

    const revoked = await tokenWith(["keys:read"]);
    await manager.tokens.revoke(revoked.id);
    await expect(revoked.client.keys.list()).rejects.toMatchObject({ status: 401, code: "REVOKED" });

    const readOnly = await tokenWith(["keys:read"]);
    const key = await seedKey(testDb(), { userId: owner.id });
    const error = (await readOnly.client.keys.revoke(key.id).catch((e: unknown) => e)) as KeywardApiError;
    expect(error).toBeInstanceOf(KeywardApiError);
    expect(error.status).toBe(403);
    expect(error.code).toBe("INSUFFICIENT_SCOPE");
    expect(error.requiredScope).toBe("keys:write");
  });
});

describe("verify by an authenticated verifier", () => {
  it("is honoured with the verify scope, `ip` included; an anonymous caller's `ip` is refused", async () => {
    const verifier = (await tokenWith(["verify"])).client;
    const key = await seedKey(testDb(), { userId: owner.id, scopes: ["read"] });
    const session2 = await session.request("PATCH", `/api/v1/keys/${key.id}/limits`, {
      allowedIps: ["203.0.113.0/24"],
    });
    expect(session2.status).toBe(200);
    expect(await verifier.verify(key.plaintext, { ip: "203.0.113.7" })).toMatchObject({
      valid: true,
      code: "VALID",
      expiresAt: expect.any(String),
    });
    expect(await verifier.verify(key.plaintext, { ip: "198.51.100.1" })).toMatchObject({
      valid: false,
      code: "IP_NOT_ALLOWED",
    });
    expect(await verifier.verify(key.plaintext)).toMatchObject({ valid: false, code: "IP_REQUIRED" });

    const anonymous = new KeywardClient({ baseUrl: testEnv.baseUrl });
    const error = (await anonymous
      .verify(key.plaintext, { ip: "203.0.113.7" })
      .catch((e: unknown) => e)) as KeywardApiError;
    expect(error).toBeInstanceOf(KeywardApiError);
    expect(error.status).toBeGreaterThanOrEqual(400);
    expect(error.status).toBeLessThan(500);
  });

  it("the middleware with a verifier token forwards its client's address, so allowlists hold at the service", async () => {
    const verifier = (await tokenWith(["verify"])).client;
    const app = express();
    app.use(keywardExpress({ client: verifier }));
    app.get("/", (_req, res) => res.json({ ok: true }));
    const service = await listen(createServer(app));
    try {
      const here = await seedKey(testDb(), { userId: owner.id });
      const elsewhere = await seedKey(testDb(), { userId: owner.id });
      expect(
        (await session.request("PATCH", `/api/v1/keys/${here.id}/limits`, { allowedIps: ["127.0.0.0/8"] })).status,
      ).toBe(200);
      expect(
        (await session.request("PATCH", `/api/v1/keys/${elsewhere.id}/limits`, { allowedIps: ["203.0.113.0/24"] }))
          .status,
      ).toBe(200);
      expect((await fetch(service.url, { headers: { "x-api-key": here.plaintext } })).status).toBe(200);
      const refused = await fetch(service.url, { headers: { "x-api-key": elsewhere.plaintext } });
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({ code: "IP_NOT_ALLOWED" });
    } finally {
      await service.close();
    }
  });

  it("a token without the verify scope is refused: 403 INSUFFICIENT_SCOPE naming verify", async () => {
    const wrong = (await tokenWith(["keys:read"])).client;
    const key = await seedKey(testDb(), { userId: owner.id });
    await expect(wrong.verify(key.plaintext)).rejects.toMatchObject({
      status: 403,
      code: "INSUFFICIENT_SCOPE",
      requiredScope: "verify",
    });
    expect((await verify(key.plaintext)).body.valid).toBe(true);
  });
});

describe("with VERIFY_AUTH=required on the server", () => {
  let strict: AppServer[] = [];
  beforeAll(async () => {
    strict = await startInstances("sdk-verify-required", 1, testEnv.databaseUrl, { VERIFY_AUTH: "required" });
  }, 120_000);
  afterAll(async () => {
    for (const server of strict) await server.stop();
  });

  it("verify throws 401 without a verifier token and answers with one; the middleware fails closed without one", async () => {
    const url = strict[0]!.url;
    const key = await seedKey(testDb(), { userId: owner.id });
    const anonymous = new KeywardClient({ baseUrl: url });
    await expect(anonymous.verify(key.plaintext)).rejects.toMatchObject({ status: 401, code: "UNAUTHORIZED" });
    const verifier = new KeywardClient({ baseUrl: url, token: (await createToken(session, ["verify"])).plaintext });
    expect(await verifier.verify(key.plaintext)).toMatchObject({ valid: true, keyId: key.id });

    for (const [client, status] of [
      [anonymous, 503],
      [verifier, 200],
    ] as const) {
      const app = express();
      app.use(keywardExpress({ client, onError: () => undefined }));
      app.get("/", (_req, res) => res.json({ ok: true }));
      const service = await listen(createServer(app));
      try {
        expect((await fetch(service.url, { headers: { "x-api-key": key.plaintext } })).status).toBe(status);
      } finally {
        await service.close();
      }
    }
  });
});
