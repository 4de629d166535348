// Per-key limits end to end, over HTTP against the running app: set at issue and changed later
// through the keys API, then obeyed by the verify route and the gate from the very next request
// (this instance, and another one on the same database when the run has a peer). Who may change
// them, and what garbage is refused, too.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeTestDb, seedTeam, seedUser, testDb } from "@/test-support/db";
import { testEnv } from "@/test-support/env";
import { expectProblemShape, signIn, sleep, type Session } from "@/test-support/http";
import { verifyHeaders } from "@/test-support/verifier";

const peerUrl = process.env.KEYWARD_TEST_PEER_URL;

interface KeyAnswer {
  id: string;
  limits: { rateLimit: { limit: number; window: string } | null; allowedIps: string[]; usageCap: number | null };
  lastClientIp: string | null;
}

let owner: Session;
let stranger: Session;
let member: Session;
let teamAdmin: Session;
let teamId: string;

beforeAll(async () => {
  const db = testDb();
  const [o, s, m, a] = await Promise.all([seedUser(db), seedUser(db), seedUser(db), seedUser(db)]);
  teamId = (
    await seedTeam(db, {
      owner: o.id,
      members: [
        { userId: m.id, role: "MEMBER" },
        { userId: a.id, role: "ADMIN" },
      ],
    })
  ).id;
  [owner, stranger, member, teamAdmin] = await Promise.all([
    signIn(o.email, o.password),
    signIn(s.email, s.password),
    signIn(m.email, m.password),
    signIn(a.email, a.password),
  ]);
});
afterAll(closeTestDb);

async function issue(session: Session, extra: Record<string, unknown>): Promise<{ plaintext: string; key: KeyAnswer }> {
  const response = await session.request("POST", "/api/v1/keys", {
    name: "limited",
    scopes: ["read"],
    expiry: { type: "days", days: 7 },
    ...extra,
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as { plaintext: string; key: KeyAnswer };
}

function changeLimits(session: Session, id: string, body: unknown): Promise<Response> {
  return session.request("PATCH", `/api/v1/keys/${id}/limits`, body);
}

async function changed(session: Session, id: string, body: unknown): Promise<KeyAnswer> {
  const response = await changeLimits(session, id, body);
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as KeyAnswer;
}

async function verifyFrom(key: string, ip?: string, baseUrl = testEnv.baseUrl) {
  const body = ip === undefined ? { key } : { key, ip };
  const response = await fetch(`${baseUrl}/api/v1/keys/verify`, {
    method: "POST",
    headers: await verifyHeaders(body),
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown> & { code: string; valid: boolean };
}

/**
 * Rate windows are aligned to the clock: a test that counts in an hour window starts it with at
 * least a minute left, so the window cannot roll over (and reset the count) halfway through.
 */
async function awayFromHourEnd() {
  const left = 3_600_000 - (Date.now() % 3_600_000);
  if (left < 60_000) await sleep(left + 100);
}

const codes = async (key: string, n: number, ip?: string) => {
  const answers: string[] = [];
  for (let i = 0; i < n; i++) answers.push((await verifyFrom(key, ip)).code);
  return answers;
};

describe("rate limits", () => {
  it("a key issued with a rate limit answers VALID with ratelimit, then RATE_LIMITED past it", async () => {
    await awayFromHourEnd();
    const { plaintext, key } = await issue(owner, { rateLimit: { limit: 3, window: "hour" } });
    expect(key.limits).toEqual({ rateLimit: { limit: 3, window: "hour" }, allowedIps: [], usageCap: null });
    const resetAt = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000).toISOString();
    for (const remaining of [2, 1, 0]) {
      expect(await verifyFrom(plaintext)).toMatchObject({
        valid: true,
        code: "VALID",
        ratelimit: { limit: 3, remaining, resetAt },
      });
    }
    const refused = await verifyFrom(plaintext);
    expect(refused).toMatchObject({
      valid: false,
      code: "RATE_LIMITED",
      keyId: key.id,
      limit: 3,
      remaining: 0,
      resetAt,
    });
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(3600);

    // Raised: seen at once (the count so far stays: 4 taken of 5).
    await changed(owner, key.id, { rateLimit: { limit: 5, window: "hour" } });
    expect(await verifyFrom(plaintext)).toMatchObject({ code: "VALID", ratelimit: { limit: 5, remaining: 0 } });
    expect((await verifyFrom(plaintext)).code).toBe("RATE_LIMITED");
    // Removed: VALID, and no ratelimit in the answer.
    await changed(owner, key.id, { rateLimit: null });
    const free = await verifyFrom(plaintext);
    expect(free.code).toBe("VALID");
    expect(free).not.toHaveProperty("ratelimit");
  });

  it("the gate answers 429 with Retry-After for a key past its rate limit", async () => {
    await awayFromHourEnd();
    const { plaintext } = await issue(owner, { rateLimit: { limit: 2, window: "hour" } });
    const whoami = () => fetch(`${testEnv.baseUrl}/api/v1/protected/whoami`, { headers: { "x-api-key": plaintext } });
    expect((await whoami()).status).toBe(200);
    expect((await whoami()).status).toBe(200);
    const refused = await whoami();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ code: "RATE_LIMITED", limit: 2, remaining: 0 });
  });
});

describe("allowed client IPs", () => {
  it("IP_REQUIRED without ip, IP_NOT_ALLOWED outside, VALID inside, IPv4 and IPv6", async () => {
    const { plaintext, key } = await issue(owner, { allowedIps: ["203.0.113.7/24", "2001:DB8::/32"] });
    expect(key.limits.allowedIps).toEqual(["203.0.113.0/24", "2001:db8::/32"]);
    expect(await verifyFrom(plaintext)).toMatchObject({ valid: false, code: "IP_REQUIRED", keyId: key.id });
    expect(await verifyFrom(plaintext, "198.51.100.1")).toMatchObject({
      valid: false,
      code: "IP_NOT_ALLOWED",
      keyId: key.id,
      ip: "198.51.100.1",
    });
    expect(await verifyFrom(plaintext, "2001:db9::1")).toMatchObject({ code: "IP_NOT_ALLOWED" });
    expect((await verifyFrom(plaintext, "203.0.113.200")).code).toBe("VALID");
    expect((await verifyFrom(plaintext, "2001:db8:ffff::5")).code).toBe("VALID");
  });

  it("refused verifications (IP_REQUIRED, IP_NOT_ALLOWED) charge neither the usage cap nor the rate limit", async () => {
    // Anyone holding the key can name an address: refusals must not let them use up the owner's budget.
    await awayFromHourEnd();
    const { plaintext, key } = await issue(owner, {
      allowedIps: ["203.0.113.0/24"],
      usageCap: 2,
      rateLimit: { limit: 2, window: "hour" },
    });
    expect(await codes(plaintext, 5)).toEqual(Array(5).fill("IP_REQUIRED"));
    expect(await codes(plaintext, 5, "198.51.100.7")).toEqual(Array(5).fill("IP_NOT_ALLOWED"));
    expect(await verifyFrom(plaintext, "203.0.113.9")).toMatchObject({
      code: "VALID",
      ratelimit: { limit: 2, remaining: 1 },
    });
    expect(await verifyFrom(plaintext, "203.0.113.9")).toMatchObject({
      code: "VALID",
      ratelimit: { limit: 2, remaining: 0 },
    });
    expect(await codes(plaintext, 3, "198.51.100.7")).toEqual(Array(3).fill("IP_NOT_ALLOWED"));
    // The cap's count reaches the database with the usage flush.
    const deadline = Date.now() + 5000;
    let usageCount = 0;
    while (
      Date.now() < deadline &&
      (usageCount = Number((await testDb().apiKey.findUniqueOrThrow({ where: { id: key.id } })).usageCount)) < 2
    )
      await sleep(100);
    await sleep(500);
    expect(Number((await testDb().apiKey.findUniqueOrThrow({ where: { id: key.id } })).usageCount)).toBe(2);
    expect(usageCount).toBe(2);
  });

  it("an allowlist added to a key already in use applies to its next verification, here and on another instance", async () => {
    const { plaintext, key } = await issue(owner, {});
    // Cached on both instances now.
    expect(await codes(plaintext, 2)).toEqual(["VALID", "VALID"]);
    if (peerUrl) expect((await verifyFrom(plaintext, undefined, peerUrl)).code).toBe("VALID");

    const after = await changed(owner, key.id, { allowedIps: ["192.0.2.0/24"] });
    expect(after.limits).toEqual({ rateLimit: null, allowedIps: ["192.0.2.0/24"], usageCap: null });
    expect((await verifyFrom(plaintext)).code).toBe("IP_REQUIRED");
    expect((await verifyFrom(plaintext, "192.0.2.1")).code).toBe("VALID");
    if (peerUrl) {
      // The other instance hears of it through the database (NOTIFY at commit): within a second.
      const since = Date.now();
      let code = "";
      while (Date.now() - since < 5000 && code !== "IP_REQUIRED") {
        code = (await verifyFrom(plaintext, undefined, peerUrl)).code;
        if (code !== "IP_REQUIRED") await sleep(20);
      }
      expect(code).toBe("IP_REQUIRED");
      expect(Date.now() - since).toBeLessThan(1000);
    }
    // Cleared with an empty list: any address again.
    await changed(owner, key.id, { allowedIps: [] });
    expect((await verifyFrom(plaintext)).code).toBe("VALID");
  });
});

describe("usage caps", () => {
  it("USAGE_EXCEEDED after the cap, and VALID again once the cap is raised", async () => {
    const { plaintext, key } = await issue(owner, { usageCap: 3 });
    expect(key.limits.usageCap).toBe(3);
    expect(await codes(plaintext, 3)).toEqual(["VALID", "VALID", "VALID"]);
    expect(await verifyFrom(plaintext)).toMatchObject({
      valid: false,
      code: "USAGE_EXCEEDED",
      keyId: key.id,
      usageCap: 3,
    });
    expect((await verifyFrom(plaintext)).code).toBe("USAGE_EXCEEDED");

    await changed(owner, key.id, { usageCap: 5 });
    expect(await codes(plaintext, 3)).toEqual(["VALID", "VALID", "USAGE_EXCEEDED"]);
    await changed(owner, key.id, { usageCap: null });
    expect((await verifyFrom(plaintext)).code).toBe("VALID");
  });

  it("counts uses flushed between a key's loading and its first use (the cap is never passed)", async () => {
    const { plaintext, key } = await issue(owner, { usageCap: 2, allowedIps: ["192.0.2.0/24"] });
    expect(await codes(plaintext, 2, "192.0.2.1")).toEqual(["VALID", "VALID"]);
    // Reloaded now, by a refusal that does not reach the cap, while the two uses are still unwritten…
    await changed(owner, key.id, { usageCap: 3 });
    expect((await verifyFrom(plaintext)).code).toBe("IP_REQUIRED");
    // …then written by the usage flush (every 200 ms in tests) before the key's next use.
    await sleep(700);
    expect(await codes(plaintext, 2, "192.0.2.1")).toEqual(["VALID", "USAGE_EXCEEDED"]);
  });

  it("the gate and the verify route draw on one cap", async () => {
    const { plaintext } = await issue(owner, { usageCap: 2 });
    const whoami = () => fetch(`${testEnv.baseUrl}/api/v1/protected/whoami`, { headers: { "x-api-key": plaintext } });
    expect((await verifyFrom(plaintext)).code).toBe("VALID");
    expect((await whoami()).status).toBe(200);
    expect((await verifyFrom(plaintext)).code).toBe("USAGE_EXCEEDED");
    const refused = await whoami();
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ code: "USAGE_EXCEEDED", usageCap: 2 });
  });
});

describe("changing limits", () => {
  it("keeps what is left out, audits before and after, and shows the limits on the key", async () => {
    const { key } = await issue(owner, {
      rateLimit: { limit: 100, window: "minute" },
      allowedIps: ["10.0.0.0/8"],
      usageCap: 1000,
    });
    const issued = await testDb().auditEvent.findFirstOrThrow({ where: { keyId: key.id, action: "key.issued" } });
    expect(issued.detail).toMatchObject({
      limits: { rateLimit: { limit: 100, window: "minute" }, allowedIps: ["10.0.0.0/8"], usageCap: 1000 },
    });

    const after = await changed(owner, key.id, { usageCap: 2000 });
    expect(after.limits).toEqual({
      rateLimit: { limit: 100, window: "minute" },
      allowedIps: ["10.0.0.0/8"],
      usageCap: 2000,
    });
    const shown = (await (await owner.request("GET", `/api/v1/keys/${key.id}`)).json()) as KeyAnswer;
    expect(shown.limits).toEqual(after.limits);
    expect(shown).toHaveProperty("lastClientIp");

    const audits = await testDb().auditEvent.findMany({ where: { keyId: key.id, action: "key.limits_changed" } });
    expect(audits).toHaveLength(1);
    expect(audits[0]!.detail).toEqual({
      before: { rateLimit: { limit: 100, window: "minute" }, allowedIps: ["10.0.0.0/8"], usageCap: 1000 },
      after: { rateLimit: { limit: 100, window: "minute" }, allowedIps: ["10.0.0.0/8"], usageCap: 2000 },
    });
    // Sending the limits it already has changes nothing, so nothing is audited.
    await changed(owner, key.id, { usageCap: 2000 });
    expect(await testDb().auditEvent.count({ where: { keyId: key.id, action: "key.limits_changed" } })).toBe(1);
  });

  it("a rotated key's replacement keeps its limits", async () => {
    const { key } = await issue(owner, { rateLimit: { limit: 7, window: "day" }, allowedIps: ["2001:db8::/48"] });
    const response = await owner.request("POST", `/api/v1/keys/${key.id}/rotate`, { grace: "none" });
    expect(response.status).toBe(201);
    const rotated = (await response.json()) as { key: KeyAnswer };
    expect(rotated.key.limits).toEqual(key.limits);
  });

  it.each([
    ["a NUL byte in an address", { allowedIps: ["10.0.0.1\u0000"] }],
    ["a /33 network", { allowedIps: ["10.0.0.0/33"] }],
    ["a window of a week", { rateLimit: { limit: 10, window: "week" } }],
    ["101 networks", { allowedIps: Array.from({ length: 101 }, (_, i) => `10.0.${i}.0/24`) }],
    ["a cap of 0", { usageCap: 0 }],
    ["a fractional limit", { rateLimit: { limit: 2.5, window: "minute" } }],
    ["an unknown field", { burst: 5 }],
  ])("refuses %s with 422, at issue and when changing, and changes nothing", async (_what, body) => {
    const refusedIssue = await owner.request("POST", "/api/v1/keys", {
      name: "bad limits",
      scopes: ["read"],
      expiry: { type: "days", days: 7 },
      ...body,
    });
    expect(refusedIssue.status).toBe(422);
    expectProblemShape(await refusedIssue.json(), 422);

    const { key } = await issue(owner, { usageCap: 10 });
    const refused = await changeLimits(owner, key.id, body);
    expect(refused.status).toBe(422);
    expectProblemShape(await refused.json(), 422);
    const shown = (await (await owner.request("GET", `/api/v1/keys/${key.id}`)).json()) as KeyAnswer;
    expect(shown.limits).toEqual({ rateLimit: null, allowedIps: [], usageCap: 10 });
  });

  it("refuses an empty change with 422", async () => {
    const { key } = await issue(owner, {});
    const refused = await changeLimits(owner, key.id, {});
    expect(refused.status).toBe(422);
    expectProblemShape(await refused.json(), 422);
  });

  it("someone else's key is a 404, and stays as it was", async () => {
    const { plaintext, key } = await issue(owner, { usageCap: 1 });
    const refused = await changeLimits(stranger, key.id, { usageCap: null });
    expect(refused.status).toBe(404);
    expectProblemShape(await refused.json(), 404);
    expect(await codes(plaintext, 2)).toEqual(["VALID", "USAGE_EXCEEDED"]);
  });

  it("a team key: its issuer and team admins may change the limits; a MEMBER who did not issue it may not", async () => {
    const { plaintext, key } = await issue(owner, { teamId, usageCap: 1 });
    const refused = await changeLimits(member, key.id, { usageCap: null });
    expect(refused.status).toBe(403);
    expectProblemShape(await refused.json(), 403);
    expect(await codes(plaintext, 2)).toEqual(["VALID", "USAGE_EXCEEDED"]);
    // The member sees the key and its limits, and could revoke it; they just cannot loosen it.
    expect(((await (await member.request("GET", `/api/v1/keys/${key.id}`)).json()) as KeyAnswer).limits.usageCap).toBe(
      1,
    );

    expect((await changed(teamAdmin, key.id, { usageCap: 2 })).limits.usageCap).toBe(2);
    expect((await verifyFrom(plaintext)).code).toBe("VALID");
    const own = await issue(member, { teamId, usageCap: 1 });
    expect((await changed(member, own.key.id, { usageCap: 3 })).limits.usageCap).toBe(3);
  });

  it("a key that no longer works is refused with 409", async () => {
    const { key } = await issue(owner, { usageCap: 5 });
    expect((await owner.request("POST", `/api/v1/keys/${key.id}/revoke`, {})).status).toBe(200);
    const refused = await changeLimits(owner, key.id, { usageCap: 10 });
    expect(refused.status).toBe(409);
    expectProblemShape(await refused.json(), 409);
    expect(await testDb().auditEvent.count({ where: { keyId: key.id, action: "key.limits_changed" } })).toBe(0);
  });
});
