// Per-key limits that need counters, over HTTP against the test server (one instance, no Redis:
// counted in process). Exactness is the point: however many verifications race, a key over its
// rate limit or its usage cap is never VALID, and one under them is never refused.
import { describe, expect, it } from "vitest";
import { seedKey, seedUser } from "@/prisma/seed/factories";
import { testDb } from "@/test-support/db";
import { testEnv } from "@/test-support/env";
import { sleep } from "@/test-support/http";
import { verifyHeaders } from "@/test-support/verifier";

type Answer = { valid: boolean; code: string; [field: string]: unknown };

async function verifyFrom(key: string, ip?: string): Promise<Answer> {
  const body = ip === undefined ? { key } : { key, ip };
  const response = await fetch(`${testEnv.baseUrl}/api/v1/keys/verify`, {
    method: "POST",
    headers: await verifyHeaders(body),
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Answer;
}

async function limitedKey(limits: {
  rateLimitMax?: number;
  rateLimitWindowSeconds?: number;
  usageCap?: bigint;
  allowedCidrs?: string[];
}) {
  const db = testDb();
  const owner = await seedUser(db);
  const key = await seedKey(db, { userId: owner.id });
  // Before the key's first verification, so no instance has it cached yet.
  await db.apiKey.update({ where: { id: key.id }, data: limits });
  return key;
}

const count = (answers: Answer[], code: string) => answers.filter((a) => a.code === code).length;

describe("a rate-limited key", () => {
  it("is VALID exactly `limit` times in its window however many verifications race, then RATE_LIMITED", async () => {
    const key = await limitedKey({ rateLimitMax: 20, rateLimitWindowSeconds: 3600 });
    const answers = await Promise.all(Array.from({ length: 60 }, () => verifyFrom(key.plaintext)));
    expect(count(answers, "VALID")).toBe(20);
    expect(count(answers, "RATE_LIMITED")).toBe(40);

    const valid = answers
      .filter((a) => a.valid)
      .map((a) => a.ratelimit as { limit: number; remaining: number; resetAt: string });
    expect(valid.map((r) => r.remaining).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    const hourEnd = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 + 3_600_000);
    for (const r of valid) expect(r).toEqual({ limit: 20, remaining: r.remaining, resetAt: hourEnd.toISOString() });

    const refused = answers.find((a) => a.code === "RATE_LIMITED")!;
    expect(refused).toMatchObject({
      valid: false,
      keyId: key.id,
      limit: 20,
      remaining: 0,
      resetAt: hourEnd.toISOString(),
    });
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(3600);
    expect(refused.message).toMatch(/20 per hour/);
  });

  it("counts only verifications that were otherwise good: refused ones do not use up the limit", async () => {
    const key = await limitedKey({ rateLimitMax: 3, rateLimitWindowSeconds: 3600, allowedCidrs: ["203.0.113.0/24"] });
    // An outsider hammering the key from the wrong address cannot lock its owner out.
    for (let i = 0; i < 10; i++) expect((await verifyFrom(key.plaintext, "198.51.100.1")).code).toBe("IP_NOT_ALLOWED");
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await verifyFrom(key.plaintext, "203.0.113.5"));
    expect(answers.map((a) => a.code)).toEqual(["VALID", "VALID", "VALID", "RATE_LIMITED"]);
  });

  it("answers 429 with Retry-After at the gate", async () => {
    const key = await limitedKey({ rateLimitMax: 2, rateLimitWindowSeconds: 86_400 });
    const call = () =>
      fetch(`${testEnv.baseUrl}/api/v1/protected/whoami`, { headers: { authorization: `Bearer ${key.plaintext}` } });
    expect((await call()).status).toBe(200);
    expect((await call()).status).toBe(200);
    const refused = await call();
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(86_400);
    expect(await refused.json()).toMatchObject({
      valid: false,
      code: "RATE_LIMITED",
      limit: 2,
      remaining: 0,
      retryAfterSeconds: retryAfter,
    });
  });
});

describe("a capped key", () => {
  it("is VALID exactly `cap` times however many verifications race, and the cap counts what reached the database", async () => {
    const key = await limitedKey({ usageCap: 10n });
    const answers = await Promise.all(Array.from({ length: 40 }, () => verifyFrom(key.plaintext)));
    expect(count(answers, "VALID")).toBe(10);
    expect(count(answers, "USAGE_EXCEEDED")).toBe(30);
    expect(answers.find((a) => a.code === "USAGE_EXCEEDED")).toMatchObject({
      valid: false,
      keyId: key.id,
      usageCap: 10,
    });

    // The uses are flushed (USAGE_FLUSH_INTERVAL_MS is 200 in tests): the count the cap read is
    // the count the database has, and refusals are not uses.
    let usageCount = 0n;
    for (let i = 0; i < 50 && usageCount < 10n; i++) {
      await sleep(100);
      usageCount = (await testDb().apiKey.findUniqueOrThrow({ where: { id: key.id }, select: { usageCount: true } }))
        .usageCount;
    }
    expect(usageCount).toBe(10n);
  });

  it("counts uses made before the cap was read from the database (a key that reached its cap stays there)", async () => {
    const db = testDb();
    const owner = await seedUser(db);
    const key = await seedKey(db, { userId: owner.id });
    await db.apiKey.update({ where: { id: key.id }, data: { usageCap: 5n, usageCount: 4n } });
    expect((await verifyFrom(key.plaintext)).code).toBe("VALID");
    expect((await verifyFrom(key.plaintext)).code).toBe("USAGE_EXCEEDED");
  });

  it("does not count a rate-limited verification toward the cap", async () => {
    const key = await limitedKey({ usageCap: 3n, rateLimitMax: 2, rateLimitWindowSeconds: 86_400 });
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await verifyFrom(key.plaintext)).code);
    expect(codes).toEqual(["VALID", "VALID", "RATE_LIMITED", "RATE_LIMITED"]);
    // Flushed within a few hundred ms: wait for both outcomes.
    let byOutcome: Record<string, bigint> = {};
    for (let i = 0; i < 50; i++) {
      byOutcome = Object.fromEntries(
        (await testDb().keyUsageHour.findMany({ where: { keyId: key.id } })).map((h) => [h.outcome, h.count]),
      );
      if (byOutcome.VALID === 2n && byOutcome.RATE_LIMITED === 2n) break;
      await sleep(100);
    }
    expect(byOutcome).toEqual({ VALID: 2n, RATE_LIMITED: 2n });
  });
});

describe("an allowlisted key", () => {
  it("needs `ip`, refuses addresses outside its networks, IPv4 and IPv6, and checks `ip` is an address", async () => {
    const key = await limitedKey({ allowedCidrs: ["203.0.113.0/24", "2001:db8::/32"] });
    expect(await verifyFrom(key.plaintext)).toMatchObject({ valid: false, code: "IP_REQUIRED", keyId: key.id });
    expect(await verifyFrom(key.plaintext, "198.51.100.7")).toMatchObject({
      code: "IP_NOT_ALLOWED",
      ip: "198.51.100.7",
    });
    expect((await verifyFrom(key.plaintext, "203.0.113.200")).code).toBe("VALID");
    expect((await verifyFrom(key.plaintext, "2001:db8:1::9")).code).toBe("VALID");
    expect((await verifyFrom(key.plaintext, "::ffff:203.0.113.1")).code).toBe("VALID");
    expect((await verifyFrom(key.plaintext, "2001:db9::1")).code).toBe("IP_NOT_ALLOWED");

    for (const ip of ["203.0.113.300", "example.com", "10.0.0.0/8", "", "1.2.3.4\u0000"]) {
      const response = await fetch(`${testEnv.baseUrl}/api/v1/keys/verify`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ key: key.plaintext, ip }),
      });
      expect(response.status, ip).toBe(422);
    }
  });

  it("leaves keys without a list as they were, with or without `ip`", async () => {
    const key = await limitedKey({});
    const answer = await verifyFrom(key.plaintext, "198.51.100.7");
    expect(answer.code).toBe("VALID");
    expect(answer).not.toHaveProperty("ratelimit");
    expect((await verifyFrom(key.plaintext)).code).toBe("VALID");
  });
});

describe("the gate and an allowlisted key", () => {
  const whoami = (baseUrl: string, key: string, forwardedFor?: string) =>
    fetch(`${baseUrl}/api/v1/protected/whoami`, {
      headers: { authorization: `Bearer ${key}`, ...(forwardedFor ? { "x-forwarded-for": forwardedFor } : {}) },
    });

  it("checks the gate's own client address, believing X-Forwarded-For only from a trusted proxy, and records it as the key's last client", async () => {
    const key = await limitedKey({ allowedCidrs: ["198.51.100.0/24"] });
    // The locked-down server trusts 127.0.0.1 as its proxy: the forwarded address is the client.
    expect((await whoami(testEnv.limitedUrl, key.plaintext, "198.51.100.23")).status).toBe(200);
    const outside = await whoami(testEnv.limitedUrl, key.plaintext, "203.0.113.5");
    expect(outside.status).toBe(403);
    expect(await outside.json()).toMatchObject({ valid: false, code: "IP_NOT_ALLOWED", ip: "203.0.113.5" });
    // The ordinary server trusts no proxy: a client cannot write its way into the list.
    const forged = await whoami(testEnv.baseUrl, key.plaintext, "198.51.100.23");
    expect(forged.status).toBe(403);
    expect(await forged.json()).toMatchObject({ code: "IP_NOT_ALLOWED", ip: "127.0.0.1" });

    let lastClientIp: string | null = null;
    for (let i = 0; i < 50 && lastClientIp === null; i++) {
      await sleep(100);
      lastClientIp = (
        await testDb().apiKey.findUniqueOrThrow({ where: { id: key.id }, select: { lastClientIp: true } })
      ).lastClientIp;
    }
    expect(lastClientIp).toBe("198.51.100.23");
  });

  it("does not record the verify route's `ip` as the key's last client (its callers name any address they like)", async () => {
    const key = await limitedKey({});
    expect((await verifyFrom(key.plaintext, "198.51.100.99")).code).toBe("VALID");
    let usageCount = 0n;
    let lastClientIp: string | null = null;
    for (let i = 0; i < 50 && usageCount === 0n; i++) {
      await sleep(100);
      ({ usageCount, lastClientIp } = await testDb().apiKey.findUniqueOrThrow({
        where: { id: key.id },
        select: { usageCount: true, lastClientIp: true },
      }));
    }
    expect(usageCount).toBe(1n);
    expect(lastClientIp).toBeNull();
  });
});
