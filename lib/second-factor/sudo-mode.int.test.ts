// Sudo mode over real HTTP: every operation the OpenAPI declaration marks `recentAuth` is refused
// (403 REAUTH_REQUIRED with a reauthUrl) to a session whose last authentication is more than 10
// minutes old, and goes through after POST /api/v1/me/reauth. The list comes from the
// declaration itself, and each operation needs a case below: a new one fails here until it has
// one. API tokens are exempt; a browser cannot move authAt itself; re-authentication is
// throttled like sign-in.
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { DECLARED_ROUTES } from "@/app/api/declarations";
import { isDocumented } from "@/lib/routes/declaration";
import { closeTestDb, seedKey, seedTeam, seedToken, seedUser, testDb } from "@/test-support/db";
import { testEnv } from "@/test-support/env";
import { expectProblemShape, signIn } from "@/test-support/http";
import { agedCookie, currentCode, Jar, seedTotp } from "@/test-support/second-factor";

const db = () => testDb();
afterAll(closeTestDb);

type Person = Awaited<ReturnType<typeof seedUser>>;

interface Case {
  /** Arranges what the call needs; returns the request a person makes. */
  arrange(me: Person): Promise<{ path: string; body?: unknown }>;
}

const CASES: Record<string, Case> = {
  adminBlacklistKey: {
    async arrange() {
      const owner = await seedUser(db());
      const key = await seedKey(db(), { userId: owner.id });
      return { path: "/api/v1/admin/blacklist", body: { key: key.plaintext, reason: "LEAKED", note: "pasted" } };
    },
  },
  adminSetRole: {
    async arrange() {
      const target = await seedUser(db());
      return { path: `/api/v1/admin/users/${target.id}/role`, body: { role: "ADMIN" } };
    },
  },
  adminResetSecondFactor: {
    async arrange() {
      const target = await seedUser(db());
      await seedTotp(db(), target.id);
      return { path: `/api/v1/admin/users/${target.id}/2fa/reset` };
    },
  },
  adminExportAudit: { arrange: async () => ({ path: "/api/v1/admin/audit/export?format=csv" }) },
  teamExportAudit: {
    async arrange(me) {
      const team = await seedTeam(db(), { owner: me.id });
      return { path: `/api/v1/teams/${team.id}/audit/export?format=jsonl` };
    },
  },
  changeTeamRole: {
    async arrange(me) {
      const member = await seedUser(db());
      const team = await seedTeam(db(), { owner: me.id, members: [{ userId: member.id, role: "MEMBER" }] });
      return { path: `/api/v1/teams/${team.id}/members/${member.id}`, body: { role: "ADMIN" } };
    },
  },
  deleteTeam: {
    async arrange(me) {
      const team = await seedTeam(db(), { owner: me.id });
      return { path: `/api/v1/teams/${team.id}` };
    },
  },
  createToken: {
    arrange: async () => ({
      path: "/api/v1/tokens",
      body: { name: "sudo token", scopes: ["keys:read"], expiry: { type: "days", days: 7 } },
    }),
  },
  rotateToken: {
    async arrange(me) {
      const token = await seedToken(db(), { userId: me.id, scopes: ["keys:read"] });
      return { path: `/api/v1/tokens/${token.id}/rotate`, body: { grace: "none" } };
    },
  },
  createWebhook: {
    arrange: async () => ({
      path: "/api/v1/webhooks",
      body: { url: "http://127.0.0.1:9/sudo", eventTypes: ["key.revoked"] },
    }),
  },
  deleteAccount: { arrange: async (me) => ({ path: "/api/v1/me", body: { confirmEmail: me.email } }) },
  startTotpEnrolment: { arrange: async () => ({ path: "/api/v1/me/2fa/totp" }) },
  regenerateRecoveryCodes: {
    async arrange(me) {
      await seedTotp(db(), me.id);
      return { path: "/api/v1/me/2fa/recovery-codes" };
    },
  },
  disableTotp: {
    async arrange(me) {
      const { recoveryCodes } = await seedTotp(db(), me.id);
      return { path: "/api/v1/me/2fa/totp", body: { code: recoveryCodes[0] } };
    },
  },
};

const guarded = DECLARED_ROUTES.filter(isDocumented)
  .filter(({ declaration }) => declaration.recentAuth)
  .map(({ method, declaration }) => ({ operationId: declaration.operationId, method }));

/** A fresh admin (site and own teams), signed in, whose sign-in was 11 minutes ago. */
async function staleSession() {
  const me = await seedUser(db(), { role: "ADMIN" });
  const session = await signIn(me.email, me.password);
  return { me, jar: new Jar(await agedCookie(session.cookie, 11)) };
}

describe("sudo mode", () => {
  it("covers every operation the declaration marks, and only those have a case", () => {
    expect(guarded.length).toBeGreaterThanOrEqual(14);
    expect(guarded.map((op) => op.operationId).filter((id) => !CASES[id])).toEqual([]);
    expect(Object.keys(CASES).filter((id) => !guarded.some((op) => op.operationId === id))).toEqual([]);
  });

  it.each(guarded.map((op) => [op.operationId, op] as const))(
    "%s: refused after 10 minutes, done after re-authenticating",
    async (id, op) => {
      const { me, jar } = await staleSession();
      const { path, body } = await CASES[id]!.arrange(me);
      const method = op.method.toUpperCase();
      const refused = await jar.request(testEnv.baseUrl, method, path, body);
      expect(refused.status, `${method} ${path}`).toBe(403);
      const problem = (await refused.json()) as { code: string; reauthUrl: string };
      expectProblemShape(problem, 403);
      expect(problem.code).toBe("REAUTH_REQUIRED");
      expect(problem.reauthUrl).toBe(`${process.env.APP_URL}/api/v1/me/reauth`);
      expect(
        (await jar.request(testEnv.baseUrl, "GET", "/api/v1/me/reauth").then((r) => r.json())) as object,
      ).toMatchObject({ recentAuthUntil: null, methods: { password: true } });

      const reauth = await jar.request(testEnv.baseUrl, "POST", "/api/v1/me/reauth", { password: me.password });
      expect(reauth.status).toBe(200);
      const until = new Date(((await reauth.json()) as { recentAuthUntil: string }).recentAuthUntil).getTime();
      expect(until - Date.now()).toBeGreaterThan(9 * 60_000);
      const done = await jar.request(testEnv.baseUrl, method, path, body);
      expect(
        [200, 201],
        `${method} ${path}: ${done.status} ${done.status < 300 ? "" : await done.clone().text()}`,
      ).toContain(done.status);
    },
  );

  it("blacklisting by id does not ask: only a pasted key does", async () => {
    const { jar } = await staleSession();
    const owner = await seedUser(db());
    const key = await seedKey(db(), { userId: owner.id });
    expect(
      (await jar.request(testEnv.baseUrl, "POST", "/api/v1/admin/blacklist", { keyId: key.id, reason: "REVOKED" }))
        .status,
    ).toBe(200);
  });

  it("a fresh sign-in needs no re-authentication", async () => {
    const me = await seedUser(db());
    const session = await signIn(me.email, me.password);
    expect(
      (
        await session.request("POST", "/api/v1/tokens", {
          name: "fresh",
          scopes: ["keys:read"],
          expiry: { type: "days", days: 7 },
        })
      ).status,
    ).toBe(201);
  });

  it("API tokens are exempt: they carry scopes, not a person", async () => {
    const admin = await seedUser(db(), { role: "ADMIN" });
    const target = await seedUser(db());
    const token = await seedToken(db(), {
      userId: admin.id,
      scopes: ["admin:write", "tokens:write", "admin:read", "keys:read"],
    });
    const auth = { authorization: `Bearer ${token.plaintext}` };
    const call = (method: string, path: string, body?: unknown) =>
      fetch(`${testEnv.baseUrl}${path}`, {
        method,
        headers: { ...auth, ...(body ? { "content-type": "application/json" } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
    expect((await call("POST", `/api/v1/admin/users/${target.id}/role`, { role: "ADMIN" })).status).toBe(200);
    expect(
      (
        await call("POST", "/api/v1/tokens", {
          name: "by token",
          scopes: ["keys:read"],
          expiry: { type: "days", days: 7 },
        })
      ).status,
    ).toBe(201);
    expect((await call("GET", "/api/v1/admin/audit/export?format=csv")).status).toBe(200);
  });

  it("re-authenticates with a code too; a wrong password or code is refused and counted", async () => {
    const { me, jar } = await staleSession();
    const { secret } = await seedTotp(db(), me.id);
    const wrong = await jar.request(testEnv.baseUrl, "POST", "/api/v1/me/reauth", { password: "not-the-password" });
    expect(wrong.status).toBe(422);
    expect((await jar.request(testEnv.baseUrl, "POST", "/api/v1/me/reauth", { otp: "000000" })).status).toBe(422);
    expect((await db().signInThrottle.findUnique({ where: { key: `account:${me.email}` } }))?.failures).toBe(2);
    expect(
      (
        await jar.request(testEnv.baseUrl, "POST", "/api/v1/tokens", {
          name: "x",
          scopes: ["keys:read"],
          expiry: { type: "days", days: 7 },
        })
      ).status,
    ).toBe(403);
    expect((await jar.request(testEnv.baseUrl, "POST", "/api/v1/me/reauth", { otp: currentCode(secret) })).status).toBe(
      200,
    );
    expect(
      (
        await jar.request(testEnv.baseUrl, "POST", "/api/v1/tokens", {
          name: "x",
          scopes: ["keys:read"],
          expiry: { type: "days", days: 7 },
        })
      ).status,
    ).toBe(201);
    expect(await db().signInThrottle.findUnique({ where: { key: `account:${me.email}` } })).toBeNull();
    expect(await db().auditEvent.count({ where: { actorId: me.id, action: "auth.reauthenticated" } })).toBe(1);
  });

  it("a browser cannot move its own authAt through next-auth's session update", async () => {
    const { jar } = await staleSession();
    const csrf = (await jar.request(testEnv.baseUrl, "GET", "/api/auth/csrf").then((r) => r.json())) as {
      csrfToken: string;
    };
    const forged = await jar.request(testEnv.baseUrl, "POST", "/api/auth/session", {
      csrfToken: csrf.csrfToken,
      data: { authAt: Date.now(), reauth: `reauth.${randomUUID()}.${Date.now()}.forged` },
    });
    expect(forged.status).toBeLessThan(500);
    const after = await jar.request(testEnv.baseUrl, "POST", "/api/v1/tokens", {
      name: "forged",
      scopes: ["keys:read"],
      expiry: { type: "days", days: 7 },
    });
    expect(after.status).toBe(403);
    expect(((await after.json()) as { code: string }).code).toBe("REAUTH_REQUIRED");
  });
});
