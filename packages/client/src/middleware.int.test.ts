// Each middleware mounted in a real server (Express, Fastify, a Next-style route handler and the
// proxy.ts example) and called over HTTP, against the real Keyward: the answers of Keyward's own
// gate (401 with WWW-Authenticate, 403 with the verdict, 429 with Retry-After), 503 when Keyward
// gives no verdict, and the verdict handed to the route when the key passes.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import Fastify from "fastify";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KeywardClient, verdictOf } from "@keyward/client";
import { keywardExpress } from "@keyward/client/express";
import { keywardFastify } from "@keyward/client/fastify";
import { withKeyward } from "@keyward/client/next";
import { closeTestDb, seedKey, seedUser, testDb } from "@/test-support/db";
import { testEnv } from "@/test-support/env";
import { signIn, type Session } from "@/test-support/http";
import { relayAsAnotherClient, type Relay } from "../test-support/another-client";
import { listen, serveWebHandler, type Served } from "../test-support/web-server";

type Start = (client: KeywardClient) => Promise<Served>;

const startExpress: Start = async (client) => {
  const app = express();
  app.use("/api", keywardExpress({ client, scope: "read" }));
  app.get("/api/hello", (req, res) => {
    res.json({ keyId: res.locals.keyward?.keyId, sameVerdict: verdictOf(req) === res.locals.keyward });
  });
  return listen(createServer(app));
};

const startFastify: Start = async (client) => {
  const app = Fastify();
  app.addHook("onRequest", keywardFastify({ client, scope: "read" }));
  app.get("/api/hello", async (request) => ({ keyId: verdictOf(request)?.keyId, sameVerdict: true }));
  await app.listen({ port: 0, host: "127.0.0.1" });
  const { port } = app.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
};

const startNextRoute: Start = (client) => {
  const GET = withKeyward(
    async (_req, _ctx: { params: Promise<object> }, verdict) =>
      Response.json({ keyId: verdict.keyId, sameVerdict: true }),
    { client, scope: "read" },
  );
  return serveWebHandler((req) => GET(req, { params: Promise.resolve({}) }));
};

let owner: Awaited<ReturnType<typeof seedUser>>;
let session: Session;

beforeAll(async () => {
  owner = await seedUser(testDb());
  session = await signIn(owner.email, owner.password);
});
afterAll(closeTestDb);

describe.each([
  ["Express", startExpress],
  ["Fastify", startFastify],
  ["a Next.js route handler", startNextRoute],
] as const)("the middleware in %s", (_name, start) => {
  let service: Served;
  let unavailable: Served;
  let down: Relay;

  beforeAll(async () => {
    service = await start(new KeywardClient({ baseUrl: testEnv.baseUrl }));
    down = await relayAsAnotherClient(testEnv.downUrl);
    unavailable = await start(new KeywardClient({ baseUrl: down.url }));
  });
  afterAll(async () => {
    await service?.close();
    await unavailable?.close();
    await down?.close();
  });

  const call = (headers: Record<string, string> = {}, base = service.url) => fetch(`${base}/api/hello`, { headers });

  it("answers 401 with WWW-Authenticate and a problem when no key is sent", async () => {
    const response = await call();
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe('Bearer realm="keyward", charset="UTF-8"');
    expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(await response.json()).toMatchObject({ status: 401, code: "UNAUTHORIZED" });
  });

  it("lets a good key through, from Authorization: Bearer or X-API-Key, and hands the route its verdict", async () => {
    const key = await seedKey(testDb(), { userId: owner.id, scopes: ["read"] });
    const ways: Record<string, string>[] = [
      { authorization: `Bearer ${key.plaintext}` },
      { "x-api-key": key.plaintext },
    ];
    for (const headers of ways) {
      const response = await call(headers);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ keyId: key.id, sameVerdict: true });
    }
  });

  it("answers 403 with the verdict's code, message and renewUrl for a revoked or expired key, and a missing scope", async () => {
    const db = testDb();
    const revoked = await seedKey(db, { userId: owner.id, scopes: ["read"], blacklist: { reason: "REVOKED" } });
    const expired = await seedKey(db, { userId: owner.id, scopes: ["read"], expiresAt: new Date(Date.now() - 1000) });
    const writeOnly = await seedKey(db, { userId: owner.id, scopes: ["write"] });
    for (const [key, code] of [
      [revoked, "REVOKED"],
      [expired, "EXPIRED"],
    ] as const) {
      const response = await call({ authorization: `Bearer ${key.plaintext}` });
      expect(response.status).toBe(403);
      expect(response.headers.get("www-authenticate")).toBe('Bearer realm="keyward", error="invalid_token"');
      const body = (await response.json()) as Record<string, unknown>;
      expect(body).toMatchObject({
        valid: false,
        code,
        keyId: key.id,
        renewUrl: `${process.env.APP_URL}/keys/${key.id}?renew=1`,
      });
      expect(body.message).toEqual(expect.any(String));
    }
    const scoped = await call({ "x-api-key": writeOnly.plaintext });
    expect(scoped.status).toBe(403);
    expect(await scoped.json()).toMatchObject({ code: "INSUFFICIENT_SCOPE", requiredScope: "read" });
  });

  it("answers 403 MALFORMED for a key Keyward will not read, and for one that is no key", async () => {
    for (const key of [`kw_${"x".repeat(600)}`, "kw_nonsense"]) {
      const response = await call({ authorization: `Bearer ${key}` });
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ valid: false, code: "MALFORMED" });
    }
  });

  it("answers 429 with Retry-After once the key's rate limit is used up", async () => {
    const key = await seedKey(testDb(), { userId: owner.id, scopes: ["read"] });
    const limits = await session.request("PATCH", `/api/v1/keys/${key.id}/limits`, {
      rateLimit: { limit: 1, window: "day" },
    });
    expect(limits.status).toBe(200);
    expect((await call({ authorization: `Bearer ${key.plaintext}` })).status).toBe(200);
    const response = await call({ authorization: `Bearer ${key.plaintext}` });
    expect(response.status).toBe(429);
    const body = (await response.json()) as { code: string; retryAfterSeconds: number };
    expect(body.code).toBe("RATE_LIMITED");
    expect(response.headers.get("retry-after")).toBe(String(body.retryAfterSeconds));
    expect(body.retryAfterSeconds).toBeGreaterThan(0);
  });

  it("answers 503 when Keyward gives no verdict, never letting the request through", async () => {
    const key = await seedKey(testDb(), { userId: owner.id, scopes: ["read"] });
    const response = await call({ authorization: `Bearer ${key.plaintext}` }, unavailable.url);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: 503, code: "SERVICE_UNAVAILABLE" });
  });
});

describe("the proxy.ts example (examples/next-proxy.ts) with Next's own NextRequest and NextResponse", () => {
  let proxied: Served;

  beforeAll(async () => {
    process.env.KEYWARD_URL = testEnv.baseUrl;
    const { proxy } = await import("../examples/next-proxy");
    proxied = await serveWebHandler((req) => proxy(new NextRequest(req)));
  });
  afterAll(() => proxied?.close());

  it("refuses without a key and with a revoked one, as the gate does", async () => {
    const revoked = await seedKey(testDb(), { userId: owner.id, scopes: ["read"], blacklist: { reason: "REVOKED" } });
    expect((await fetch(`${proxied.url}/api/orders`)).status).toBe(401);
    const refused = await fetch(`${proxied.url}/api/orders`, { headers: { "x-api-key": revoked.plaintext } });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ code: "REVOKED" });
  });

  it("passes a good key on to the route with the caller in request headers it overwrites", async () => {
    const key = await seedKey(testDb(), { userId: owner.id, scopes: ["read"] });
    const response = await fetch(`${proxied.url}/api/orders`, {
      headers: { authorization: `Bearer ${key.plaintext}`, "x-api-key-id": "forged" },
    });
    expect(response.status).toBe(200);
    // How Next's NextResponse.next({ request: { headers } }) tells its router to continue with new headers.
    expect(response.headers.get("x-middleware-next")).toBe("1");
    expect(response.headers.get("x-middleware-request-x-api-key-id")).toBe(key.id);
    expect(response.headers.get("x-middleware-request-x-api-key-owner")).toBe(owner.id);
  });
});
