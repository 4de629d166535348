// The servers' logs, read from the files the run's app servers wrote: one JSON object per line
// with a level and a time, a request id on every request line (a trusted proxy's X-Request-Id,
// else one of the server's own, returned in the answer on the fast path too), the same id on
// what the app logs while serving that request, and no secret anywhere: every key, API token,
// password, session cookie and reset token this test issues, through both ways in and with the
// most verbose level, is searched for in every line every server of the run wrote.
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppServer } from "@/server/app-server";
import { startInstances } from "@/test-support/app-instances";
import { closeTestDb, seedUser, testDb } from "@/test-support/db";
import { testEnv } from "@/test-support/env";
import { signIn, sleep, verify } from "@/test-support/http";
import { issuedSecrets } from "@/test-support/issued-secrets";

const root = resolve(import.meta.dirname, "../..");
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
let verbose: AppServer;

beforeAll(async () => {
  [verbose] = (await startInstances("logs-trace", 1, testEnv.databaseUrl, { LOG_LEVEL: "trace" })) as [AppServer];
});
afterAll(async () => {
  await verbose?.stop();
  await closeTestDb();
});

interface Line {
  level: string;
  time: string;
  msg: string;
  reqId?: string;
  [field: string]: unknown;
}

/** The JSON lines of a server's log (test-results/server<suffix>.log). */
function linesOf(file: string): Line[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Line);
}

/** Waits for a line (logs are written as the answer ends, a moment after the client has it). */
async function lineWith(file: string, match: (line: Line) => boolean): Promise<Line> {
  for (let waited = 0; waited < 3000; waited += 50) {
    const found = linesOf(file).find(match);
    if (found) return found;
    await sleep(50);
  }
  throw new Error(`no such line in ${file}`);
}

const logFile = (name: string) => join(root, `test-results/server${name}.log`);

describe("request ids", () => {
  it("are made by the server, returned on every answer (fast verify path included), and a client's own is not taken", async () => {
    const ping = await fetch(`${testEnv.baseUrl}/api/ping`, { headers: { "x-request-id": "made-up-by-a-client" } });
    const id = ping.headers.get("x-request-id")!;
    expect(id).toMatch(UUID);
    const verifyAnswer = await fetch(`${testEnv.baseUrl}/api/v1/keys/verify`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-request-id": "mine" },
      body: "{}",
    });
    expect(verifyAnswer.headers.get("x-request-id")).toMatch(UUID);
    const page = await fetch(`${testEnv.baseUrl}/sign-in`);
    expect(page.headers.get("x-request-id")).toMatch(UUID);
    expect(new Set([id, verifyAnswer.headers.get("x-request-id"), page.headers.get("x-request-id")]).size).toBe(3);

    const line = await lineWith(testEnv.serverLog, (l) => l.reqId === id);
    expect(line).toMatchObject({
      level: "info",
      msg: "request",
      method: "GET",
      path: "/api/ping",
      status: 200,
      ip: "127.0.0.1",
    });
    expect(typeof line.ms).toBe("number");
    expect(new Date(line.time).getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it("come from a trusted proxy's X-Request-Id (the limited server trusts 127.0.0.1), when well-formed", async () => {
    const id = `proxy-${randomBytes(8).toString("hex")}`;
    const answer = await fetch(`${testEnv.limitedUrl}/api/ping?token=secret-in-a-query`, {
      headers: { "x-request-id": id, "x-forwarded-for": "198.51.100.23" },
    });
    expect(answer.headers.get("x-request-id")).toBe(id);
    const line = await lineWith(logFile("-limited"), (l) => l.reqId === id);
    // The client the proxy names; the path without its query (which may carry a token).
    expect(line).toMatchObject({ msg: "request", path: "/api/ping", status: 200, ip: "198.51.100.23" });
    for (const bad of ["has spaces in it", "x".repeat(129), "semi;colon"]) {
      const refused = await fetch(`${testEnv.limitedUrl}/api/ping`, { headers: { "x-request-id": bad } });
      expect(refused.headers.get("x-request-id"), bad).toMatch(UUID);
    }
  });

  it("are on what the app logs while serving the request (the down server's database failure)", async () => {
    const answer = await fetch(`${testEnv.downUrl}/api/health`);
    expect(answer.status).toBe(503);
    const id = answer.headers.get("x-request-id")!;
    const failure = await lineWith(logFile("-down"), (l) => l.reqId === id && l.msg === "database unavailable");
    expect(failure.level).toBe("error");
    expect(failure.context).toBe("GET /api/health");
    const request = await lineWith(logFile("-down"), (l) => l.reqId === id && l.msg === "request");
    expect(request).toMatchObject({ status: 503, level: "error" });
  });

  it("are on the fast path's request lines when its level is on (debug)", async () => {
    const answer = await verify("kw_not-a-key", undefined, verbose.url);
    expect(answer.body.code).toBe("MALFORMED");
    const line = await lineWith(
      logFile("-logs-trace-1"),
      (l) => l.msg === "request" && l.path === "/api/v1/keys/verify",
    );
    expect(line).toMatchObject({ level: "debug", status: 200, method: "POST" });
    expect(line.reqId).toMatch(UUID);
  });
});

describe("the logs", () => {
  it("hold no key, token, password, cookie or reset token, at any level, whichever way a request came in", async () => {
    const secrets: string[] = [];
    const db = testDb();
    const user = await seedUser(db, { role: "ADMIN" });
    secrets.push(user.password);
    for (const baseUrl of [testEnv.baseUrl, verbose.url]) {
      // A wrong password typed at sign-in is a secret too (often another site's password).
      const wrongPassword = `wrong-${randomBytes(9).toString("base64url")}`;
      secrets.push(wrongPassword);
      await expect(signIn(user.email, wrongPassword, baseUrl)).rejects.toThrow();
      const session = await signIn(user.email, user.password, baseUrl);
      const sessionCookie = session.cookie.split("; ").find((c) => c.includes("session-token="))!;
      secrets.push(sessionCookie.slice(sessionCookie.indexOf("=") + 1));

      const issued = await session.request("POST", "/api/v1/keys", {
        name: "log-check",
        scopes: ["read"],
        expiry: { type: "days", days: 7 },
      });
      expect(issued.status).toBe(201);
      const { plaintext: key } = (await issued.json()) as { plaintext: string };
      secrets.push(key);
      const made = await session.request("POST", "/api/v1/tokens", {
        name: `log-${randomBytes(3).toString("hex")}`,
        scopes: ["verify"],
        expiry: { type: "days", days: 7 },
      });
      expect(made.status).toBe(201);
      const { plaintext: token } = (await made.json()) as { plaintext: string };
      secrets.push(token);

      await verify(key, undefined, baseUrl);
      await verify(key, "write", baseUrl);
      // With the verifier token, with a broken one, and a body that fails validation holding the key.
      await fetch(`${baseUrl}/api/v1/keys/verify`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ key }),
      });
      await fetch(`${baseUrl}/api/v1/keys/verify`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}x` },
        body: JSON.stringify({ key }),
      });
      await fetch(`${baseUrl}/api/v1/keys/verify`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ key, extra: key }),
      });
      // The gate, with the key as a bearer; the API with the token.
      await fetch(`${baseUrl}/api/v1/protected/whoami`, { headers: { authorization: `Bearer ${key}` } });
      await fetch(`${baseUrl}/api/v1/keys`, { headers: { authorization: `Bearer ${token}` } });
    }
    // A password change: the old and the new password in one body (a wrong current one first).
    const session = await signIn(user.email, user.password, verbose.url);
    const newPassword = `new-${randomBytes(12).toString("base64url")}`;
    secrets.push(newPassword);
    expect(
      (
        await session.request("POST", "/api/v1/me/password", {
          currentPassword: `${newPassword}!`,
          password: newPassword,
        })
      ).status,
    ).toBeGreaterThanOrEqual(400);
    expect(
      (await session.request("POST", "/api/v1/me/password", { currentPassword: user.password, password: newPassword }))
        .status,
    ).toBeLessThan(300);
    // A password reset: the link's token, then its use.
    await fetch(`${verbose.url}/api/v1/password-reset`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: user.email }),
    });
    let resetToken = "";
    for (let i = 0; i < 50 && !resetToken; i++) {
      const [email] = await db.emailMessage.findMany({
        where: { toAddress: user.email, kind: "PASSWORD_RESET", status: { notIn: ["PENDING", "SENDING"] } },
      });
      resetToken = /\/reset-password\?token=([A-Za-z0-9_-]+)/.exec(email?.text ?? "")?.[1] ?? "";
      if (!resetToken) await sleep(100);
    }
    expect(resetToken.length).toBeGreaterThanOrEqual(43);
    secrets.push(resetToken);
    await fetch(`${verbose.url}/reset-password?token=${resetToken}`);
    const resetPassword = `reset-${randomBytes(12).toString("base64url")}`;
    secrets.push(resetPassword);
    const confirmed = await fetch(`${verbose.url}/api/v1/password-reset/confirm`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token: resetToken, password: resetPassword }),
    });
    expect(confirmed.status).toBeLessThan(300);
    await sleep(500); // the usage flush, the email sender and the request lines
    // And every secret the run's tests made before this one (the runner searches again at the end).
    secrets.push(...issuedSecrets());

    const files = readdirSync(join(root, "test-results")).filter((f) => /^server.*\.log$/.test(f));
    expect(files).toContain("server-logs-trace-1.log");
    let lines = 0;
    for (const file of files) {
      const text = readFileSync(join(root, "test-results", file), "utf8");
      lines += text.split("\n").length;
      for (const secret of secrets) {
        expect(secret.length).toBeGreaterThanOrEqual(8);
        expect(text.includes(secret), `${file} holds a secret this test issued (${secret.slice(0, 4)}…)`).toBe(false);
      }
    }
    // The search is real: the verbose server logged these requests, one line each.
    expect(
      linesOf(logFile("-logs-trace-1")).filter((l) => l.msg === "request" && l.path === "/api/v1/keys/verify").length,
    ).toBeGreaterThanOrEqual(5);
    expect(lines).toBeGreaterThan(50);
  });
});
