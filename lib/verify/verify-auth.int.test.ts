// Authenticated verification, over HTTP: a verifier token (an API token with the verify scope)
// hears only of its owner's keys, is the only caller whose `ip` is believed, is recorded on the
// key it checked, stops working on every instance within a second of its revocation, loses its
// reach the moment its owner does, and has a budget of its own. With VERIFY_AUTH=required an
// anonymous caller is refused, on the fast path and through Next's router alike.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppServer } from "@/server/app-server";
import { startInstances } from "@/test-support/app-instances";
import { closeTestDb, seedKey, seedTeam, seedToken, seedUser, testDb } from "@/test-support/db";
import { testEnv } from "@/test-support/env";
import { signIn, sleep } from "@/test-support/http";

const db = () => testDb();
const peerUrl = process.env.KEYWARD_TEST_PEER_URL;

async function verifyWith(token: string | null, body: Record<string, unknown>, baseUrl = testEnv.baseUrl) {
  const response = await fetch(`${baseUrl}/api/v1/keys/verify`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown> & { code: string },
  };
}

let required: AppServer[] = [];
afterAll(async () => {
  for (const server of required) await server.stop();
  await closeTestDb();
});

describe("a verifier token", () => {
  it("answers for its owner's keys only: a person's own, a team's, a site admin's every key", async () => {
    const ann = await seedUser(db());
    const bob = await seedUser(db());
    const admin = await seedUser(db(), { role: "ADMIN" });
    const team = await seedTeam(db(), { owner: ann.id });
    const annKey = await seedKey(db(), { userId: ann.id });
    const bobKey = await seedKey(db(), { userId: bob.id });
    const teamKey = await seedKey(db(), { teamId: team.id, issuedById: ann.id });
    const annVerifier = (await seedToken(db(), { userId: ann.id, scopes: ["verify"] })).plaintext;
    const siteVerifier = (await seedToken(db(), { userId: admin.id, scopes: ["verify"] })).plaintext;
    const session = await signIn(ann.email, ann.password);
    const made = await session.request("POST", "/api/v1/tokens", {
      name: "team verifier",
      scopes: ["verify"],
      expiry: { type: "days", days: 7 },
      teamId: team.id,
    });
    const teamVerifier = ((await made.json()) as { plaintext: string }).plaintext;

    expect((await verifyWith(annVerifier, { key: annKey.plaintext })).body.code).toBe("VALID");
    expect((await verifyWith(annVerifier, { key: bobKey.plaintext })).body.code).toBe("NOT_FOUND");
    expect((await verifyWith(annVerifier, { key: teamKey.plaintext })).body.code).toBe("NOT_FOUND");
    expect((await verifyWith(teamVerifier, { key: teamKey.plaintext })).body.code).toBe("VALID");
    expect((await verifyWith(teamVerifier, { key: annKey.plaintext })).body.code).toBe("NOT_FOUND");
    for (const key of [annKey, bobKey, teamKey])
      expect((await verifyWith(siteVerifier, { key: key.plaintext })).body.code).toBe("VALID");
  });

  it("is the only caller whose ip is believed: anonymous callers naming one get a 422", async () => {
    const owner = await seedUser(db());
    const listed = await seedKey(db(), { userId: owner.id });
    await db().apiKey.update({ where: { id: listed.id }, data: { allowedCidrs: ["203.0.113.0/24"] } });
    const verifier = (await seedToken(db(), { userId: owner.id, scopes: ["verify"] })).plaintext;
    const anonymous = await verifyWith(null, { key: listed.plaintext, ip: "203.0.113.9" });
    expect(anonymous.status).toBe(422);
    expect(JSON.stringify(anonymous.body)).toMatch(/verifier/);
    expect((await verifyWith(verifier, { key: listed.plaintext, ip: "203.0.113.9" })).body.code).toBe("VALID");
    expect((await verifyWith(verifier, { key: listed.plaintext, ip: "198.51.100.1" })).body.code).toBe(
      "IP_NOT_ALLOWED",
    );
    expect((await verifyWith(null, { key: listed.plaintext })).body.code).toBe("IP_REQUIRED");
  });

  it("is recorded on the key it checked (lastVerifierId), and the key's page says so", async () => {
    const owner = await seedUser(db());
    const key = await seedKey(db(), { userId: owner.id });
    const verifier = await seedToken(db(), { userId: owner.id, scopes: ["verify"], name: "billing-service" });
    expect((await verifyWith(verifier.plaintext, { key: key.plaintext })).body.code).toBe("VALID");
    let row = await db().apiKey.findUniqueOrThrow({ where: { id: key.id } });
    for (let i = 0; i < 50 && row.lastVerifierId === null; i++) {
      await sleep(100);
      row = await db().apiKey.findUniqueOrThrow({ where: { id: key.id } });
    }
    expect(row.lastVerifierId).toBe(verifier.id);
    const session = await signIn(owner.email, owner.password);
    expect(await (await session.request("GET", `/api/v1/keys/${key.id}`)).json()).toMatchObject({
      lastVerifierId: verifier.id,
    });
    expect(await (await session.request("GET", `/keys/${key.id}`)).text()).toContain("checked by billing-service");
    // An anonymous check after it: the key was last checked by no one Keyward knows.
    expect((await verifyWith(null, { key: key.plaintext })).body.code).toBe("VALID");
    for (let i = 0; i < 50 && row.lastVerifierId !== null; i++) {
      await sleep(100);
      row = await db().apiKey.findUniqueOrThrow({ where: { id: key.id } });
    }
    expect(row.lastVerifierId).toBeNull();
  });

  it("stops working everywhere within a second of its revocation", async () => {
    const owner = await seedUser(db());
    const key = await seedKey(db(), { userId: owner.id });
    const session = await signIn(owner.email, owner.password);
    const made = (await (
      await session.request("POST", "/api/v1/tokens", {
        name: "to revoke",
        scopes: ["verify"],
        expiry: { type: "days", days: 7 },
      })
    ).json()) as {
      token: { id: string };
      plaintext: string;
    };
    const instances = [testEnv.baseUrl, ...(peerUrl ? [peerUrl] : [])];
    for (const url of instances)
      expect((await verifyWith(made.plaintext, { key: key.plaintext }, url)).body.code).toBe("VALID");
    expect((await session.request("POST", `/api/v1/tokens/${made.token.id}/revoke`, {})).status).toBe(200);
    const revokedAt = Date.now();
    for (const url of instances) {
      let answer = await verifyWith(made.plaintext, { key: key.plaintext }, url);
      while (answer.status !== 401 && Date.now() - revokedAt < 1000)
        answer = await verifyWith(made.plaintext, { key: key.plaintext }, url);
      expect(answer.status, url).toBe(401);
      expect(answer.body.code).toBe("REVOKED");
      expect(answer.headers.get("www-authenticate")).toMatch(/^Bearer /);
    }
  });

  it("loses a site admin's reach the moment its owner is demoted, on every instance", async () => {
    const admin = await seedUser(db(), { role: "ADMIN" });
    const other = await seedUser(db(), { role: "ADMIN" });
    const strangerKey = await seedKey(db(), { userId: (await seedUser(db())).id });
    const verifier = (await seedToken(db(), { userId: admin.id, scopes: ["verify"] })).plaintext;
    const instances = [testEnv.baseUrl, ...(peerUrl ? [peerUrl] : [])];
    for (const url of instances)
      expect((await verifyWith(verifier, { key: strangerKey.plaintext }, url)).body.code).toBe("VALID");
    const session = await signIn(other.email, other.password);
    expect((await session.request("POST", `/api/v1/admin/users/${admin.id}/role`, { role: "USER" })).status).toBe(200);
    const demotedAt = Date.now();
    for (const url of instances) {
      let code = (await verifyWith(verifier, { key: strangerKey.plaintext }, url)).body.code;
      while (code !== "NOT_FOUND" && Date.now() - demotedAt < 1000)
        code = (await verifyWith(verifier, { key: strangerKey.plaintext }, url)).body.code;
      expect(code, url).toBe("NOT_FOUND");
    }
  });

  it("an Authorization header that carries no API token leaves the caller anonymous (VERIFY_AUTH=optional)", async () => {
    const owner = await seedUser(db());
    const key = await seedKey(db(), { userId: owner.id });
    // A service forwarding its own client's header, as callers did before verifiers existed.
    const forwarded = await verifyWith("eyJhbGciOiJIUzI1NiJ9.e30.x", { key: key.plaintext });
    expect(forwarded.status).toBe(200);
    expect(forwarded.body.code).toBe("VALID");
    // Anything shaped like a token is checked, and refused when it is no working token.
    expect((await verifyWith("kwt_typo", { key: key.plaintext })).status).toBe(401);
  });

  it("without the verify scope, 403; expired, 401 EXPIRED", async () => {
    const owner = await seedUser(db());
    const key = await seedKey(db(), { userId: owner.id });
    const reader = (await seedToken(db(), { userId: owner.id, scopes: ["keys:read"] })).plaintext;
    const refused = await verifyWith(reader, { key: key.plaintext });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: "INSUFFICIENT_SCOPE", requiredScope: "verify" });
    const old = (
      await seedToken(db(), { userId: owner.id, scopes: ["verify"], expiresAt: new Date(Date.now() - 1000) })
    ).plaintext;
    const expired = await verifyWith(old, { key: key.plaintext });
    expect(expired.status).toBe(401);
    expect(expired.body.code).toBe("EXPIRED");
  });
});

describe("VERIFY_AUTH=required", () => {
  beforeAll(async () => {
    const env = { VERIFY_AUTH: "required", VERIFY_TOKEN_RATE_LIMIT: "3" };
    required = [
      ...(await startInstances("verify-required-fast", 1, testEnv.databaseUrl, { ...env, VERIFY_FAST_PATH: "true" })),
      ...(await startInstances("verify-required-route", 1, testEnv.databaseUrl, { ...env, VERIFY_FAST_PATH: "false" })),
    ];
  }, 120_000);

  it("refuses anonymous callers with 401 and WWW-Authenticate, serves verifiers, and counts each verifier's own budget, on both ways in", async () => {
    const owner = await seedUser(db());
    const key = await seedKey(db(), { userId: owner.id });
    for (const server of required) {
      const verifier = (await seedToken(db(), { userId: owner.id, scopes: ["verify"] })).plaintext;
      const anonymous = await verifyWith(null, { key: key.plaintext }, server.url);
      expect(anonymous.status, server.url).toBe(401);
      expect(anonymous.headers.get("www-authenticate")).toBe('Bearer realm="keyward", scope="verify"');
      expect(anonymous.body.code).toBe("UNAUTHORIZED");
      for (let i = 0; i < 3; i++)
        expect((await verifyWith(verifier, { key: key.plaintext }, server.url)).body.code).toBe("VALID");
      const over = await verifyWith(verifier, { key: key.plaintext }, server.url);
      expect(over.status).toBe(429);
      expect(over.headers.get("retry-after")).toMatch(/^\d+$/);
      // Another verifier has a budget of its own.
      const second = (await seedToken(db(), { userId: owner.id, scopes: ["verify"] })).plaintext;
      expect((await verifyWith(second, { key: key.plaintext }, server.url)).body.code).toBe("VALID");
    }
  });
});
