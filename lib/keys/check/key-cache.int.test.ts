// The verify cache against real servers: expiry at the instant, revocation across instances
// within the promised bound, sweep-blacklisted keys refused at once, and usage counts that
// survive a graceful shutdown.
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer } from "@/server/app-server";
import { freePort } from "@/server/free-port";
import { closeTestDb, seedKey, seedUser, testDb } from "@/test-support/db";
import { signIn, sleep, sweep, verify } from "@/test-support/http";

const peerUrl = process.env.KEYWARD_TEST_PEER_URL;
let owner: Awaited<ReturnType<typeof seedUser>>;

beforeAll(async () => {
  owner = await seedUser(testDb());
});
afterAll(closeTestDb);

describe("the key cache", () => {
  it("a cached key still expires at its expiresAt", async () => {
    // Enough headroom that a busy machine still answers the first three before the instant.
    const expiresAt = new Date(Date.now() + 5000);
    const key = await seedKey(testDb(), { userId: owner.id, expiresAt });
    for (let i = 0; i < 3; i++) expect((await verify(key.plaintext)).body.code).toBe("VALID");
    await sleep(expiresAt.getTime() - Date.now() + 100);
    expect((await verify(key.plaintext)).body.code).toBe("EXPIRED");
  });

  it.skipIf(!peerUrl)("a revoke on one instance is refused by another within 1 second", async () => {
    const session = await signIn(owner.email, owner.password);
    const created = await session.request("POST", "/api/v1/keys", {
      name: "two-instances",
      scopes: ["read"],
      expiry: { type: "days", days: 7 },
    });
    const { plaintext, key } = (await created.json()) as { plaintext: string; key: { id: string } };
    for (let i = 0; i < 3; i++) {
      expect((await verify(plaintext)).body.code).toBe("VALID");
      expect((await verify(plaintext, undefined, peerUrl)).body.code).toBe("VALID"); // now cached there
    }
    const revokedAt = Date.now();
    expect((await session.request("POST", `/api/v1/keys/${key.id}/revoke`, {})).status).toBe(200);
    expect((await verify(plaintext)).body.code).toBe("REVOKED"); // this instance: at once
    let elapsed = Infinity;
    while (Date.now() - revokedAt < 5000) {
      if ((await verify(plaintext, undefined, peerUrl)).body.code === "REVOKED") {
        elapsed = Date.now() - revokedAt;
        break;
      }
      await sleep(10);
    }
    expect(elapsed).toBeLessThan(1000);
  });

  it("refuses a cached key the sweep blacklists, at once", async () => {
    const replacement = await seedKey(testDb(), { userId: owner.id });
    const rotated = await seedKey(testDb(), {
      userId: owner.id,
      replacedById: replacement.id,
      graceEndsAt: new Date(Date.now() + 1200),
    });
    expect((await verify(rotated.plaintext)).body.code).toBe("VALID");
    await sleep(1300);
    expect((await sweep()).body.rotated).toBeGreaterThanOrEqual(1);
    expect((await verify(rotated.plaintext)).body).toMatchObject({ code: "REVOKED", reason: "ROTATED" });
  });

  it("does not lose coalesced usage counts across a graceful shutdown", async () => {
    const key = await seedKey(testDb(), { userId: owner.id });
    const port = await freePort();
    const server = await startAppServer({
      root: resolve(import.meta.dirname, "../../.."),
      port,
      logFile: join(resolve(import.meta.dirname, "../../../test-results"), "server-shutdown.log"),
      env: {
        ...process.env,
        NODE_ENV: "production",
        USAGE_FLUSH_INTERVAL_MS: "600000",
        APP_URL: `http://127.0.0.1:${port}`,
      },
    });
    try {
      for (let i = 0; i < 7; i++) expect((await verify(key.plaintext, undefined, server.url)).body.code).toBe("VALID");
      const before = await testDb().apiKey.findUniqueOrThrow({ where: { id: key.id }, select: { usageCount: true } });
      expect(before.usageCount).toBe(0n); // still in memory: the flush interval is 10 minutes
    } finally {
      await server.stop();
    }
    const after = await testDb().apiKey.findUniqueOrThrow({
      where: { id: key.id },
      select: { usageCount: true, lastUsedAt: true },
    });
    expect(after.usageCount).toBe(7n);
    expect(after.lastUsedAt).not.toBeNull();
  });
});
