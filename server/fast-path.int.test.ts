// Conformance: `POST /api/v1/keys/verify` answered by the front server's fast path and by Next's
// route handler must be indistinguishable. Two app servers on the same database, alike in every
// setting but VERIFY_FAST_PATH, get the same requests; status, headers and body must match byte
// for byte, for every code, every 4xx, 413, 415, 429 and, with the database cut, 503. A feature
// that lands in one path and not the other fails here.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { request } from "node:http";
import { join, resolve } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checksum, RANDOM_LENGTH } from "@/lib/keys/format";
import { startAppServer, type AppServer } from "@/server/app-server";
import { freePort } from "@/server/free-port";
import { closeTestDb, seedKey, seedTeam, seedToken, seedUser, testDb } from "@/test-support/db";
import { testEnv } from "@/test-support/env";
import { startTcpProxy, targetOf, urlThrough, type TcpProxy } from "@/test-support/tcp-proxy";

const root = resolve(import.meta.dirname, "..");
const RATE_LIMIT = 60;
const MISS_LIMIT = 6;
let proxy: TcpProxy;
let fast: AppServer;
let route: AppServer;
const logOf = (name: string) => readFileSync(join(root, `test-results/server-${name}.log`), "utf8");

beforeAll(async () => {
  proxy = await startTcpProxy(targetOf(testEnv.databaseUrl));
  const start = async (name: string, fastPath: boolean) => {
    const port = await freePort();
    return startAppServer({
      root,
      port,
      logFile: join(root, `test-results/server-${name}.log`),
      env: {
        ...process.env,
        NODE_ENV: "production",
        DATABASE_URL: urlThrough(testEnv.databaseUrl, proxy.port),
        // Both answer with the same renewal links.
        APP_URL: "http://keyward.test",
        AUTH_URL: `http://127.0.0.1:${port}`,
        AUTH_SECRET: randomBytes(32).toString("base64url"),
        VERIFY_RATE_LIMIT: String(RATE_LIMIT),
        VERIFY_MISS_LIMIT: String(MISS_LIMIT),
        VERIFY_FAST_PATH: String(fastPath),
      },
    });
  };
  [fast, route] = await Promise.all([start("fast-path", true), start("route-path", false)]);
});
afterAll(async () => {
  await fast?.stop();
  await route?.stop();
  await proxy?.close();
  await closeTestDb();
});

interface Exchange {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

interface Case {
  name: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
  method?: string;
  /** Send the body in chunks without a Content-Length. */
  chunked?: boolean;
  /** The answer carries a countdown (retryAfterSeconds): compared to the second. */
  ticking?: boolean;
}

/** One raw HTTP exchange on a fresh connection, so a closed connection can't spill into the next. */
function send(server: AppServer, c: Case): Promise<Exchange> {
  return new Promise((done, fail) => {
    const req = request(
      `${server.url}/api/v1/keys/verify`,
      { method: c.method ?? "POST", agent: false, headers: { "content-type": "application/json", ...c.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const raw = Buffer.concat(chunks);
          const body = res.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw;
          done({ status: res.statusCode!, headers: res.headers, body: body.toString("utf8") });
        });
      },
    );
    req.on("error", fail);
    if (c.body !== undefined && !c.chunked) req.setHeader("content-length", Buffer.byteLength(c.body));
    // The whole body, even one the server refuses early: it must answer while the client sends.
    const body = c.body === undefined ? undefined : Buffer.from(c.body);
    if (c.chunked && body) {
      for (let at = 0; at < body.length; at += 4096) req.write(body.subarray(at, at + 4096));
    } else if (body) req.write(body);
    req.end();
  });
}

/**
 * The headers that carry meaning; framing and clock headers (date, connection keep-alive,
 * content-length against chunked encoding) belong to the connection, not to the answer.
 * Retry-After is a clock reading too (each server's window began at its own first request, a
 * few milliseconds apart): it is compared on its own, to the second. Next's Vary names its own
 * router's request headers (rsc, next-router-*), which mean nothing to an uncacheable POST.
 * Content-Encoding: Next gzips every answer for a client that takes gzip, a few hundred bytes
 * included; the fast path sends these small answers as they are, which costs the client nothing
 * and saves both ends the work. The bodies, decoded, must still be the same bytes. X-Request-Id
 * is each request's own (a fresh id on each server): both must carry one.
 */
function meaningful(headers: Exchange["headers"]): Record<string, string> {
  const framing = new Set([
    "date",
    "keep-alive",
    "transfer-encoding",
    "content-length",
    "connection",
    "retry-after",
    "vary",
    "content-encoding",
    "x-request-id",
  ]);
  return Object.fromEntries(
    Object.entries(headers)
      .filter(([name]) => !framing.has(name))
      .map(([name, value]) => [name, String(value)])
      .sort(([a], [b]) => a!.localeCompare(b!)),
  );
}

async function expectSame(c: Case): Promise<Exchange> {
  const [a, b] = [await send(fast, c), await send(route, c)];
  expect(a.status, `${c.name}: status`).toBe(b.status);
  expect(meaningful(a.headers), `${c.name}: headers`).toEqual(meaningful(b.headers));
  for (const exchange of [a, b])
    expect(exchange.headers["x-request-id"], `${c.name}: x-request-id`).toMatch(/^[0-9a-f-]{36}$/);
  expect(a.headers["retry-after"] === undefined, `${c.name}: retry-after`).toBe(b.headers["retry-after"] === undefined);
  if (a.headers["retry-after"])
    expect(Math.abs(Number(a.headers["retry-after"]) - Number(b.headers["retry-after"])), c.name).toBeLessThanOrEqual(
      1,
    );
  if (c.ticking) {
    // retryAfterSeconds counts down: the two answers, a few ms apart, may straddle a second.
    const [x, y] = [JSON.parse(a.body), JSON.parse(b.body)];
    expect(Math.abs(x.retryAfterSeconds - y.retryAfterSeconds), `${c.name}: retryAfterSeconds`).toBeLessThanOrEqual(1);
    const steady = (body: string) => body.replace(/"retryAfterSeconds":\d+/, "").replace(/in \d+ s\./, "");
    expect(steady(a.body), `${c.name}: body`).toBe(steady(b.body));
  } else expect(a.body, `${c.name}: body`).toBe(b.body);
  // A refused oversized body closes the connection on both (what is past the cap is dropped).
  expect(a.headers.connection === "close", `${c.name}: connection`).toBe(b.headers.connection === "close");
  return a;
}

const json = (value: unknown) => JSON.stringify(value);

describe("the verify route's two ways in", () => {
  it("the fast path is the one serving, and the route handler the other", () => {
    expect(logOf("fast-path")).toContain("verify answered by the fast path");
    expect(logOf("route-path")).not.toContain("verify answered by the fast path");
  });

  it("answer every verdict byte for byte alike", async () => {
    const db = testDb();
    const owner = await seedUser(db, { name: "Conformance" });
    const team = await seedTeam(db, { name: "Conformance team", owner: owner.id });
    const past = new Date(Date.now() - 3_600_000);
    const later = new Date(Date.now() + 3_600_000);
    // Keys that never expire, so no answer carries a count of seconds that ticks between the two.
    const valid = await seedKey(db, { userId: owner.id, expiresAt: null, scopes: ["read", "write"] });
    const teamKey = await seedKey(db, { userId: owner.id, teamId: team.id, issuedById: owner.id, expiresAt: null });
    const expired = await seedKey(db, { userId: owner.id, expiresAt: past });
    const revoked = await seedKey(db, { userId: owner.id, expiresAt: null, blacklist: { reason: "REVOKED" } });
    const leaked = await seedKey(db, { userId: owner.id, expiresAt: null, blacklist: { reason: "LEAKED" } });
    const inGrace = await seedKey(db, { userId: owner.id, expiresAt: null, graceEndsAt: later });
    const graceOver = await seedKey(db, { userId: owner.id, expiresAt: null, graceEndsAt: past });
    // Limits (lib/limits): each server counts its own rate windows, and both are asked in turn,
    // so both see the same counts. A day's window, so its end is the same for both.
    const limited = await seedKey(db, { userId: owner.id, expiresAt: null });
    const capped = await seedKey(db, { userId: owner.id, expiresAt: null });
    const listed = await seedKey(db, { userId: owner.id, expiresAt: null });
    await db.apiKey.update({ where: { id: limited.id }, data: { rateLimitMax: 2, rateLimitWindowSeconds: 86_400 } });
    await db.apiKey.update({ where: { id: capped.id }, data: { usageCap: 3n, usageCount: 3n } });
    await db.apiKey.update({ where: { id: listed.id }, data: { allowedCidrs: ["203.0.113.0/24", "2001:db8::/32"] } });
    const unknownRandom = "A".repeat(RANDOM_LENGTH);
    const unknown = `kw_${unknownRandom}${checksum(unknownRandom)}`;
    // A verifier (the owner's API token with the verify scope): the only caller whose `ip` counts.
    const verifier = {
      authorization: `Bearer ${(await seedToken(db, { userId: owner.id, scopes: ["verify"] })).plaintext}`,
    };
    const stranger = await seedKey(db, { userId: (await seedUser(db)).id, expiresAt: null });
    const cases: (Case & { code: string })[] = [
      { name: "a valid key", code: "VALID", body: json({ key: valid.plaintext }) },
      { name: "with a scope it has", code: "VALID", body: json({ key: valid.plaintext, scope: "write" }) },
      { name: "a team's key", code: "VALID", body: json({ key: teamKey.plaintext }) },
      { name: "in a rotation's grace", code: "VALID", body: json({ key: inGrace.plaintext }) },
      {
        name: "with a scope it lacks",
        code: "INSUFFICIENT_SCOPE",
        body: json({ key: valid.plaintext, scope: "admin" }),
      },
      { name: "expired", code: "EXPIRED", body: json({ key: expired.plaintext }) },
      { name: "revoked", code: "REVOKED", body: json({ key: revoked.plaintext }) },
      { name: "leaked", code: "REVOKED", body: json({ key: leaked.plaintext }) },
      { name: "rotated, grace over", code: "REVOKED", body: json({ key: graceOver.plaintext }) },
      { name: "unknown", code: "NOT_FOUND", body: json({ key: unknown }) },
      { name: "wrong prefix", code: "MALFORMED", body: json({ key: "xx_abc" }) },
      { name: "wrong length", code: "MALFORMED", body: json({ key: "kw_abc" }) },
      {
        name: "wrong checksum",
        code: "MALFORMED",
        body: json({ key: `${valid.plaintext.slice(0, -1)}${valid.plaintext.endsWith("A") ? "B" : "A"}` }),
      },
      { name: "wrong alphabet", code: "MALFORMED", body: json({ key: `kw_${"!".repeat(RANDOM_LENGTH + 6)}` }) },
      {
        name: "a charset in the type",
        code: "VALID",
        body: json({ key: valid.plaintext }),
        headers: { "content-type": "application/json; charset=utf-8" },
      },
      { name: "a chunked body", code: "VALID", body: json({ key: valid.plaintext }), chunked: true },
      {
        name: "a client that takes gzip",
        code: "VALID",
        body: json({ key: valid.plaintext }),
        headers: { "accept-encoding": "gzip, deflate" },
      },
      { name: "rate-limited, first of 2", code: "VALID", body: json({ key: limited.plaintext }) },
      { name: "rate-limited, second of 2", code: "VALID", body: json({ key: limited.plaintext }) },
      { name: "rate-limited, over", code: "RATE_LIMITED", body: json({ key: limited.plaintext }), ticking: true },
      { name: "at its usage cap", code: "USAGE_EXCEEDED", body: json({ key: capped.plaintext }) },
      { name: "allowlisted, no ip", code: "IP_REQUIRED", body: json({ key: listed.plaintext }) },
      {
        name: "allowlisted, ip outside",
        code: "IP_NOT_ALLOWED",
        body: json({ key: listed.plaintext, ip: "198.51.100.9" }),
        headers: verifier,
      },
      {
        name: "allowlisted, ip inside",
        code: "VALID",
        body: json({ key: listed.plaintext, ip: "203.0.113.9" }),
        headers: verifier,
      },
      {
        name: "allowlisted, IPv6 inside",
        code: "VALID",
        body: json({ key: listed.plaintext, ip: "2001:db8::5" }),
        headers: verifier,
      },
      {
        name: "an ip for a key without a list",
        code: "VALID",
        body: json({ key: valid.plaintext, ip: "198.51.100.9" }),
        headers: verifier,
      },
      { name: "a verifier, its owner's key", code: "VALID", body: json({ key: valid.plaintext }), headers: verifier },
      {
        name: "a verifier, someone else's key",
        code: "NOT_FOUND",
        body: json({ key: stranger.plaintext }),
        headers: verifier,
      },
    ];
    for (const c of cases) {
      const answer = await expectSame(c);
      expect(answer.status, c.name).toBe(200);
      expect(JSON.parse(answer.body).code, c.name).toBe(c.code);
    }
  });

  it("refuse every bad request alike: 400, 401, 403, 405, 413, 415, 422", async () => {
    const owner = await seedUser(testDb());
    const noVerify = await seedToken(testDb(), { userId: owner.id, scopes: ["keys:read"] });
    const tooBig = json({ key: "k".repeat(20 * 1024) });
    const twentyMegabytes = Buffer.alloc(20 * 1024 * 1024, 32);
    const cases: (Case & { status: number })[] = [
      { name: "not JSON", body: "{key:", status: 400 },
      { name: "an empty body", body: "", status: 400 },
      { name: "no content type", body: json({ key: "x" }), headers: { "content-type": "" }, status: 415 },
      { name: "a form", body: "key=x", headers: { "content-type": "application/x-www-form-urlencoded" }, status: 415 },
      { name: "text", body: json({ key: "x" }), headers: { "content-type": "text/plain" }, status: 415 },
      { name: "no key", body: json({}), status: 422 },
      { name: "an unknown field", body: json({ key: "x", admin: true }), status: 422 },
      { name: "a NUL byte", body: json({ key: "kw_\u0000" }), status: 422 },
      { name: "a key too long", body: json({ key: "k".repeat(513) }), status: 422 },
      { name: "a scope of the wrong type", body: json({ key: "x", scope: 7 }), status: 422 },
      { name: "an ip that is not an address", body: json({ key: "x", ip: "10.0.0.0/8" }), status: 422 },
      { name: "an array", body: json([{ key: "x" }]), status: 422 },
      { name: "an ip from an anonymous caller", body: json({ key: "x", ip: "203.0.113.9" }), status: 422 },
      {
        name: "a malformed verifier token",
        body: json({ key: "x" }),
        headers: { authorization: "Bearer kwt_nope" },
        status: 401,
      },
      {
        name: "a token without the verify scope",
        body: json({ key: "x" }),
        headers: { authorization: `Bearer ${noVerify.plaintext}` },
        status: 403,
      },
      { name: "over 16 KiB, declared", body: tooBig, status: 413 },
      { name: "over 16 KiB, streamed", body: tooBig, chunked: true, status: 413 },
      { name: "over 1 MiB, declared", body: Buffer.alloc(1024 * 1024 + 1, 32), status: 413 },
      { name: "20 MB, declared", body: twentyMegabytes, status: 413 },
      { name: "20 MB, streamed", body: twentyMegabytes, chunked: true, status: 413 },
      { name: "GET", method: "GET", status: 405 },
    ];
    for (const c of cases) {
      const answer = await expectSame(c);
      expect(answer.status, c.name).toBe(c.status);
    }
  });

  it("answer 503 alike while the database is away, and recover alike", async () => {
    const owner = await seedUser(testDb());
    const key = await seedKey(testDb(), { userId: owner.id, expiresAt: null });
    await proxy.cut();
    try {
      const answer = await expectSame({ name: "database away", body: json({ key: key.plaintext }) });
      expect(answer.status).toBe(503);
    } finally {
      await proxy.restore();
    }
  });

  it("answer 429 alike once a client has spent its unknown-key budget", async () => {
    // Each server counts its own clients: spend both budgets the same way, side by side.
    const unknownRandom = "B".repeat(RANDOM_LENGTH);
    const unknown: Case = { name: "unknown", body: json({ key: `kw_${unknownRandom}${checksum(unknownRandom)}` }) };
    let answer: Exchange | undefined;
    for (let i = 0; i <= MISS_LIMIT && answer?.status !== 429; i += 1) answer = await expectSame(unknown);
    expect(answer!.status).toBe(429);
    expect(answer!.headers["retry-after"]).toMatch(/^\d+$/);
    // Refused while the miss budget is spent, whatever the key.
    await expectSame({ name: "valid while refused", body: json({ key: "kw_abc" }) });
  });
});
