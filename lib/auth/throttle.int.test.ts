// Failed sign-ins over HTTP: throttled per account and per client, in PostgreSQL (so every
// instance sees them), each one in the audit log with the address and the client's address.
// Runs against the locked-down server, behind its trusted proxy: each X-Forwarded-For address
// below is a client of its own, so these tests never throttle the rest of the suite.
import { randomInt } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { Browser } from "@/test-support/browser";
import { closeTestDb, seedUser, testDb } from "@/test-support/db";
import { testEnv } from "@/test-support/env";
import { ACCOUNT_POLICY, blockedUntil, recordFailure, throttleKeys } from "./throttle";

afterAll(closeTestDb);

const newClient = () => `198.19.${randomInt(0, 255)}.${randomInt(1, 255)}`;
const asClient = (ip: string, baseUrl = testEnv.limitedUrl) => new Browser(baseUrl, { "x-forwarded-for": ip });

async function failures(email: string) {
  return testDb().auditEvent.findMany({ where: { action: "auth.sign_in_failed", actorLabel: email }, orderBy: { at: "asc" } });
}

describe("sign-in throttling", () => {
  it("25 wrong passwords, then the right one: refused, with when to try again; every failure audited with address and client", async () => {
    const user = await seedUser(testDb());
    const client = newClient();
    for (let i = 0; i < 25; i++) {
      const attempt = await asClient(client).signIn(user.email, `wrong-${i}`);
      expect(attempt.url).not.toMatch(/\/keys$/);
    }
    const browser = asClient(client);
    const right = await browser.signIn(user.email, user.password);
    expect(browser.signedIn).toBe(false);
    expect(new URL(right.url).searchParams.get("code")).toMatch(/^throttled:\d{4}-\d\d-\d\dT/);

    const events = await failures(user.email);
    expect(events.length).toBeGreaterThanOrEqual(26);
    expect(events.every((e) => e.ip === client)).toBe(true);
    expect(events.filter((e) => (e.detail as { reason?: string }).reason === "throttled").length).toBeGreaterThan(0);
    // Only the attempts that got to a password check count: the refused ones cost nothing.
    const row = await testDb().signInThrottle.findUniqueOrThrow({ where: { key: `account:${user.email}` } });
    expect(row.failures).toBeGreaterThan(ACCOUNT_POLICY.free);
    expect(row.failures).toBeLessThan(25);
    // The old log line without address or client is gone.
    expect(readFileSync(testEnv.serverLog, "utf8")).not.toMatch(/\[auth\] \w: /);
  });

  it("is shared by every instance: an account locked through one is locked on the other", async () => {
    const user = await seedUser(testDb());
    for (let i = 0; i < 10; i++) await asClient(newClient()).signIn(user.email, `wrong-${i}`);
    const other = new Browser(testEnv.baseUrl);
    await other.signIn(user.email, user.password);
    expect(other.signedIn).toBe(false);
  });

  it("throttles a client that guesses across many accounts, and only that client", async () => {
    const victims = await Promise.all([seedUser(testDb()), seedUser(testDb())]);
    const client = newClient();
    for (let i = 0; i < 50; i++) await asClient(client).signIn(`nobody-${i}-${randomInt(1e9)}@example.test`, "guess");
    const blocked = asClient(client);
    await blocked.signIn(victims[0]!.email, victims[0]!.password);
    expect(blocked.signedIn).toBe(false);
    const elsewhere = asClient(newClient());
    await elsewhere.signIn(victims[1]!.email, victims[1]!.password);
    expect(elsewhere.signedIn).toBe(true);
  });

  it("a few failures cost nothing, and the right password clears them", async () => {
    const user = await seedUser(testDb());
    const client = newClient();
    for (let i = 0; i < 4; i++) await asClient(client).signIn(user.email, "wrong");
    const browser = asClient(client);
    await browser.signIn(user.email, user.password);
    expect(browser.signedIn).toBe(true);
    expect(await testDb().signInThrottle.findUnique({ where: { key: `account:${user.email}` } })).toBeNull();
    expect(await testDb().auditEvent.count({ where: { action: "auth.signed_in", actorId: user.id, ip: client } })).toBe(1);
  });

  it("growing delays, then a lockout window that ends when it says (counted in PostgreSQL, atomically)", async () => {
    const keys = throttleKeys(`locked-${randomInt(1e9)}@example.test`, newClient());
    let t = Date.now();
    const waits: number[] = [];
    for (let failure = 1; failure <= ACCOUNT_POLICY.lockAt; failure++) {
      await recordFailure(keys, new Date(t));
      const until = await blockedUntil(keys, new Date(t));
      waits.push(until ? until.getTime() - t : 0);
      t = (until?.getTime() ?? t) + 1; // the next attempt comes as soon as it may
    }
    expect(waits.slice(0, ACCOUNT_POLICY.free)).toEqual([0, 0, 0, 0, 0]);
    expect(waits.slice(ACCOUNT_POLICY.free, -1)).toEqual([2000, 4000, 8000, 16000]);
    expect(waits.at(-1)).toBe(ACCOUNT_POLICY.lockMs);
    // Twenty concurrent failures from two instances all count.
    const concurrent = throttleKeys(`concurrent-${randomInt(1e9)}@example.test`, newClient());
    await Promise.all(Array.from({ length: 20 }, () => recordFailure(concurrent)));
    expect((await testDb().signInThrottle.findUniqueOrThrow({ where: { key: concurrent.account } })).failures).toBe(20);
  });
});
