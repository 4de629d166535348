// KeywardClient.verify against the real server over HTTP: the typed verdicts, the cache's
// documented staleness after a revocation, its bound at the key's expiry, and the errors that are
// not verdicts (never VALID on doubt).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KeywardApiError, KeywardClient, KeywardConnectionError } from "@keyward/client";
import { generateKey } from "@/lib/keys/format";
import { closeTestDb, seedKey, seedUser, testDb } from "@/test-support/db";
import { testEnv } from "@/test-support/env";
import { signIn, sleep, type Session } from "@/test-support/http";
import { freePort } from "@/server/free-port";
import { relayAsAnotherClient } from "../test-support/another-client";

let owner: Awaited<ReturnType<typeof seedUser>>;
let session: Session;
const client = () => new KeywardClient({ baseUrl: testEnv.baseUrl });

beforeAll(async () => {
  owner = await seedUser(testDb());
  session = await signIn(owner.email, owner.password);
});
afterAll(closeTestDb);

describe("KeywardClient.verify", () => {
  it("answers VALID with the key's id, owner, scopes and expiresAt", async () => {
    const expiresAt = new Date(Date.now() + 3_600_000);
    const key = await seedKey(testDb(), { userId: owner.id, name: "sdk valid", scopes: ["read"], expiresAt });
    const verdict = await client().verify(key.plaintext, { scope: "read" });
    expect(verdict).toMatchObject({
      valid: true,
      code: "VALID",
      keyId: key.id,
      name: "sdk valid",
      owner: { type: "user", id: owner.id },
      scopes: ["read"],
    });
    if (!verdict.valid) throw new Error("unreachable");
    expect(verdict.expiresAt).toBe(expiresAt.toISOString());
  });

  it("tells every refusal apart, with renewUrl where there is one", async () => {
    const db = testDb();
    const expired = await seedKey(db, { userId: owner.id, expiresAt: new Date(Date.now() - 1000) });
    const revoked = await seedKey(db, { userId: owner.id, blacklist: { reason: "REVOKED" } });
    const readOnly = await seedKey(db, { userId: owner.id, scopes: ["read"] });
    const sdk = client();
    expect(await sdk.verify(expired.plaintext)).toMatchObject({
      valid: false,
      code: "EXPIRED",
      keyId: expired.id,
      renewUrl: expect.stringContaining(expired.id),
    });
    expect(await sdk.verify(revoked.plaintext)).toMatchObject({
      valid: false,
      code: "REVOKED",
      reason: "REVOKED",
      renewUrl: expect.stringContaining(revoked.id),
    });
    expect(await sdk.verify(readOnly.plaintext, { scope: "write" })).toMatchObject({
      valid: false,
      code: "INSUFFICIENT_SCOPE",
      requiredScope: "write",
    });
    expect(await sdk.verify(generateKey(process.env.KEY_PREFIX ?? "kw").plaintext)).toMatchObject({
      valid: false,
      code: "NOT_FOUND",
    });
    expect(await sdk.verify("kw_not-a-key")).toMatchObject({ valid: false, code: "MALFORMED" });
  });

  it("with the cache on, a revoked key is answered VALID for at most the TTL, then REVOKED", async () => {
    const ttlMs = 3_000;
    const cached = new KeywardClient({ baseUrl: testEnv.baseUrl, verifyCache: { ttlMs } });
    const key = await seedKey(testDb(), { userId: owner.id });
    // The entry was made between these two instants, so it ends between them plus the TTL.
    const asked = Date.now();
    expect((await cached.verify(key.plaintext)).code).toBe("VALID");
    const answered = Date.now();
    expect((await session.request("POST", `/api/v1/keys/${key.id}/revoke`, {})).status).toBe(200);
    // Keyward knows at once; the cache does not ask within its TTL: that is the staleness it documents.
    expect((await client().verify(key.plaintext)).code).toBe("REVOKED");
    const stale = await cached.verify(key.plaintext);
    expect(Date.now() - asked).toBeLessThan(ttlMs);
    expect(stale.code).toBe("VALID");
    await sleep(answered + ttlMs - Date.now() + 50);
    expect(await cached.verify(key.plaintext)).toMatchObject({ valid: false, code: "REVOKED" });
  });

  it("with the cache on, never answers VALID past the key's expiresAt, however long the TTL", async () => {
    const cached = new KeywardClient({ baseUrl: testEnv.baseUrl, verifyCache: { ttlMs: 60_000 } });
    const expiresAt = new Date(Date.now() + 1_500);
    const key = await seedKey(testDb(), { userId: owner.id, expiresAt });
    expect((await cached.verify(key.plaintext)).code).toBe("VALID");
    await sleep(expiresAt.getTime() - Date.now() + 50);
    expect(await cached.verify(key.plaintext)).toMatchObject({
      valid: false,
      code: "EXPIRED",
      expiredAt: expiresAt.toISOString(),
    });
  });

  it("caches per question: a scope the key lacks is asked, not answered from another scope's VALID", async () => {
    const cached = new KeywardClient({ baseUrl: testEnv.baseUrl, verifyCache: true });
    const key = await seedKey(testDb(), { userId: owner.id, scopes: ["read"] });
    expect((await cached.verify(key.plaintext, { scope: "read" })).code).toBe("VALID");
    expect((await cached.verify(key.plaintext, { scope: "write" })).code).toBe("INSUFFICIENT_SCOPE");
  });

  it("throws instead of answering when Keyward gives no verdict: 503 as KeywardApiError, no answer as KeywardConnectionError", async () => {
    const key = await seedKey(testDb(), { userId: owner.id });
    const relay = await relayAsAnotherClient(testEnv.downUrl);
    const down = new KeywardClient({ baseUrl: relay.url, verifyCache: true });
    const error = await down.verify(key.plaintext).catch((e: unknown) => e);
    await relay.close();
    expect(error).toBeInstanceOf(KeywardApiError);
    expect(error).toMatchObject({ status: 503, code: "SERVICE_UNAVAILABLE" });
    const nowhere = new KeywardClient({ baseUrl: `http://127.0.0.1:${await freePort()}`, timeoutMs: 2_000 });
    await expect(nowhere.verify(key.plaintext)).rejects.toBeInstanceOf(KeywardConnectionError);
  });

  it("surfaces the route's own refusals as typed problems (a key longer than Keyward reads: 422 naming the field)", async () => {
    const error = await client()
      .verify(`kw_${"a".repeat(600)}`)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeywardApiError);
    const problem = error as KeywardApiError;
    expect(problem.status).toBe(422);
    expect(problem.code).toBe("UNPROCESSABLE");
    expect(problem.errors?.map((e) => e.path)).toContain("key");
  });
});
