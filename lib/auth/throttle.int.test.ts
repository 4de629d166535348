// Failed sign-ins over HTTP: throttled per account and per client, in PostgreSQL (so every
// instance sees them), each one in the audit log with the address and the client's address.
// Runs against the locked-down server, behind its trusted proxy: each X-Forwarded-For address
// below is a client of its own, so these tests never throttle the rest of the suite.
import { randomInt } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { Browser, type Visit } from "@/test-support/browser";
import { closeTestDb, seedUser, testDb } from "@/test-support/db";
import { testEnv } from "@/test-support/env";
import { ACCOUNT_POLICY, blockedUntil, recordFailure, throttleKeys } from "./throttle";

afterAll(closeTestDb);

const newClient = () => `198.19.${randomInt(0, 255)}.${randomInt(1, 255)}`;
const asClient = (ip: string, baseUrl = testEnv.limitedUrl) => new Browser(baseUrl, { "x-forwarded-for": ip });

/** How long the answer to a sign-in says to wait, 0 when it was not throttled. */
function waitOf(answer: Visit): number {
  const until = /^throttled:(.+)$/.exec(new URL(answer.url).searchParams.get("code") ?? "")?.[1];
  return until ? Date.parse(until) - Date.now() : 0;
}

/**
 * Fails sign-ins (at least `atLeast` of them) until the answer says to wait 4 s or more, so the
 * test's next sign-in falls inside the wait however slow the machine: a refused attempt does not
 * count, so the wait grows only when one lands after the last wait ended.
 */
async function failUntilTold(fail: (i: number) => Promise<Visit>, atLeast = 0): Promise<void> {
  const giveUp = Date.now() + 60_000;
  for (let i = 0, wait = 0; i < atLeast || wait < 4000; i++) {
    expect(Date.now()).toBeLessThan(giveUp);
    const answer = await fail(i);
    expect(answer.url).not.toMatch(/\/keys$/);
    wait = waitOf(answer);
  }
}

async function failures(email: string) {
  return testDb().auditEvent.findMany({
    where: { action: "auth.sign_in_failed", actorLabel: email },
    orderBy: { at: "asc" },
  });
}

describe("sign-in throttling", () => {
  it(
    "25 wrong passwords, then the right one: refused, with when to try again; every failure audited with address and client",
    { timeout: 90_000 },
    async () => {
      const user = await seedUser(testDb());
      const client = newClient();
      await failUntilTold((i) => asClient(client).signIn(user.email, `wrong-${i}`), 25);
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
    },
  );

  it(
    "is shared by every instance: an account locked through one is locked on the other",
    { timeout: 90_000 },
    async () => {
      const user = await seedUser(testDb());
      await failUntilTold((i) => asClient(newClient()).signIn(user.email, `wrong-${i}`), 10);
      const other = new Browser(testEnv.baseUrl);
      await other.signIn(user.email, user.password);
      expect(other.signedIn).toBe(false);
    },
  );

  it("throttles a client that guesses across many accounts, and only that client", { timeout: 90_000 }, async () => {
    const victims = await Promise.all([seedUser(testDb()), seedUser(testDb())]);
    const client = newClient();
    await failUntilTold((i) => asClient(client).signIn(`nobody-${i}-${randomInt(1e9)}@example.test`, "guess"), 50);
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
    expect(await testDb().auditEvent.count({ where: { action: "auth.signed_in", actorId: user.id, ip: client } })).toBe(
      1,
    );
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
