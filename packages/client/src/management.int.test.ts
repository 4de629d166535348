// Managing keys, teams and webhooks through the SDK against the real server: typed answers in,
// typed problems out. These calls authenticate with a signed-in session's cookie (the `headers`
// option) so they run on today's server; tokens.int.test.ts makes the same kind of calls with
// an API token.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KeywardApiError, KeywardClient } from "@keyward/client";
import { closeTestDb, seedUser, testDb } from "@/test-support/db";
import { testEnv } from "@/test-support/env";
import { signIn, verify } from "@/test-support/http";
import { serveWebHandler } from "../test-support/web-server";

let client: KeywardClient;

beforeAll(async () => {
  const owner = await seedUser(testDb());
  const session = await signIn(owner.email, owner.password);
  client = new KeywardClient({ baseUrl: `${testEnv.baseUrl}/`, headers: { cookie: session.cookie } });
});
afterAll(closeTestDb);

describe("KeywardClient management calls", () => {
  it("keys: issue, get, list, limits, usage, rotate, revoke", async () => {
    const issued = await client.keys.issue({
      name: "sdk managed",
      scopes: ["read"],
      expiry: { type: "days", days: 30 },
    });
    expect(issued.plaintext).toMatch(/^kw_/);
    expect((await verify(issued.plaintext)).body).toMatchObject({ valid: true, keyId: issued.key.id });
    expect(await client.keys.get(issued.key.id)).toMatchObject({
      id: issued.key.id,
      name: "sdk managed",
      status: "ACTIVE",
    });
    const page = await client.keys.list({ tab: "active", q: "sdk managed" });
    expect(page.items.map((k) => k.id)).toContain(issued.key.id);
    const limited = await client.keys.setLimits(issued.key.id, { rateLimit: { limit: 100, window: "minute" } });
    expect(limited.limits.rateLimit).toEqual({ limit: 100, window: "minute" });
    const usage = await client.keys.usage(issued.key.id, { granularity: "day" });
    expect(usage.granularity).toBe("day");

    const rotated = await client.keys.rotate(issued.key.id, { grace: "1h" });
    expect(rotated.previous).toMatchObject({
      id: issued.key.id,
      replacedById: rotated.key.id,
      graceEndsAt: expect.any(String),
    });
    expect(rotated.key.limits.rateLimit).toEqual({ limit: 100, window: "minute" });
    const revoked = await client.keys.revoke(rotated.key.id, { note: "sdk test" });
    expect(revoked.status).toBe("BLACKLISTED");
    expect((await verify(rotated.plaintext)).body.code).toBe("REVOKED");
  });

  it("teams: create, get, rename, members, list, delete", async () => {
    const team = await client.teams.create({ name: "SDK team" });
    expect(team.role).toBe("OWNER");
    expect((await client.teams.rename(team.id, { name: "SDK team renamed" })).name).toBe("SDK team renamed");
    expect((await client.teams.get(team.id)).name).toBe("SDK team renamed");
    expect((await client.teams.members(team.id)).items.map((m) => m.role)).toEqual(["OWNER"]);
    expect((await client.teams.list()).items.map((t) => t.id)).toContain(team.id);
    expect(await client.teams.delete(team.id)).toEqual({ deleted: true });
  });

  it("webhooks: create (the secret once), list, get, update, delete", async () => {
    const created = await client.webhooks.create({ url: "http://127.0.0.1:9/hook", eventTypes: ["key.created"] });
    expect(created.secret).toEqual(expect.any(String));
    const id = created.endpoint.id;
    expect((await client.webhooks.list()).items.map((w) => w.id)).toContain(id);
    expect((await client.webhooks.update(id, { description: "from the SDK" })).description).toBe("from the SDK");
    expect((await client.webhooks.get(id)).description).toBe("from the SDK");
    await client.webhooks.delete(id);
    await expect(client.webhooks.get(id)).rejects.toMatchObject({ status: 404 });
  });
});

describe("KeywardApiError", () => {
  it("carries the problem: 404 NOT_FOUND, 422 with the fields, 401 without credentials", async () => {
    const missing = await client.keys.get("00000000-0000-4000-8000-000000000000").catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(KeywardApiError);
    expect(missing).toMatchObject({
      status: 404,
      code: "NOT_FOUND",
      type: expect.stringContaining("not-found"),
      title: expect.any(String),
    });

    const invalid = (await client.keys
      .issue({ name: "", scopes: [], expiry: { type: "days", days: 30 } })
      .catch((e: unknown) => e)) as KeywardApiError;
    expect(invalid.status).toBe(422);
    expect(invalid.code).toBe("UNPROCESSABLE");
    expect(invalid.errors?.map((e) => e.path)).toEqual(expect.arrayContaining(["name", "scopes"]));
    expect(invalid.message).toMatch(/UNPROCESSABLE \(422\)/);

    const anonymous = new KeywardClient({ baseUrl: testEnv.baseUrl });
    await expect(anonymous.keys.list()).rejects.toMatchObject({ status: 401, code: "UNAUTHORIZED" });
  });

  it("says so when the URL answers but is not Keyward", async () => {
    const other = await serveWebHandler(
      async () => new Response("<h1>Bad gateway</h1>", { status: 502, headers: { "content-type": "text/html" } }),
    );
    try {
      const error = await new KeywardClient({ baseUrl: other.url }).keys.list().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KeywardApiError);
      expect(error).toMatchObject({
        status: 502,
        code: "HTTP_502",
        detail: expect.stringMatching(/is the URL Keyward's/),
      });
    } finally {
      await other.close();
    }
  });
});
