// Answers recorded from the real routes (real HTTP against the running app) are validated against
// the document the app serves: a response whose status, media type or body the document does not
// describe fails here. Refusals are recorded too: they must be the documented Problem shape.
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeTestDb, seedKey, seedUser, testDb } from "@/test-support/db";
import { testEnv } from "@/test-support/env";
import { signIn, type Session } from "@/test-support/http";
import { SoftwareAuthenticator } from "@/test-support/software-authenticator";
import { agedCookie, currentCode, Jar } from "@/test-support/second-factor";
import { verifyHeaders } from "@/test-support/verifier";
import { openApiPath } from "./document";

type Doc = {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }> }>
  >;
};
let doc: Doc;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
let user: Session;
let admin: Session;
let userId: string;
const recorded = new Set<string>();

beforeAll(async () => {
  doc = (await (await fetch(`${testEnv.baseUrl}/api/openapi.json`)).json()) as Doc;
  ajv.addSchema(doc as object, "openapi");
  const db = testDb();
  const [u, a] = await Promise.all([seedUser(db), seedUser(db, { role: "ADMIN" })]);
  userId = u.id;
  [user, admin] = await Promise.all([signIn(u.email, u.password), signIn(a.email, a.password)]);
});
afterAll(closeTestDb);

/** Checks one answer against the document; returns its parsed JSON (or text) for the next step. */
async function record(method: string, template: string, response: Response): Promise<any> {
  const op = doc.paths[openApiPath(template)]?.[method.toLowerCase()];
  expect(op, `${method} ${template} is not in the document`).toBeDefined();
  const described = op!.responses[String(response.status)] ?? op!.responses[`${String(response.status)[0]}XX`];
  expect(
    described,
    `${method} ${template} answered ${response.status}, which the document does not list`,
  ).toBeDefined();
  const type = (response.headers.get("content-type") ?? "").split(";")[0]!.trim();
  const text = await response.text();
  recorded.add(`${method} ${template} ${response.status}`);
  if (!described!.content) return text;
  const media = described!.content[type];
  expect(media, `${method} ${template} ${response.status}: media type ${type} not in the document`).toBeDefined();
  const schema = media!.schema;
  const lines = type === "application/jsonl" ? text.split("\n").filter(Boolean) : [text];
  for (const line of type === "text/csv" ? [] : lines) {
    const ref = typeof schema.$ref === "string" ? { $ref: `openapi${schema.$ref}` } : schema;
    const validate = ajv.compile(ref);
    const ok = validate(JSON.parse(line));
    expect(
      ok,
      `${method} ${template} ${response.status}: ${ajv.errorsText(validate.errors)}\n${line.slice(0, 500)}`,
    ).toBe(true);
  }
  return type === "application/json" || type === "application/problem+json" ? JSON.parse(text) : text;
}

const jsonBody = (body: unknown) => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

describe("recorded answers match the OpenAPI document", () => {
  it("service, verify, leaks, sweep and the gate", async () => {
    await record("GET", "/api/health", await fetch(`${testEnv.baseUrl}/api/health`));
    await record("GET", "/api/ping", await fetch(`${testEnv.baseUrl}/api/ping`));
    await record("GET", "/api/openapi.json", await fetch(`${testEnv.baseUrl}/api/openapi.json`));
    const key = await seedKey(testDb(), { userId });
    for (const body of [
      { key: key.plaintext },
      { key: "kw_nope" },
      { key: key.plaintext, scope: "admin" },
      { key: 42 },
    ]) {
      await record("POST", "/api/v1/keys/verify", await fetch(`${testEnv.baseUrl}/api/v1/keys/verify`, jsonBody(body)));
    }
    await record(
      "POST",
      "/api/v1/leaks/report",
      await fetch(`${testEnv.baseUrl}/api/v1/leaks/report`, jsonBody({ key: "kw_x" })),
    );
    await record("POST", "/api/v1/leaks/github", await fetch(`${testEnv.baseUrl}/api/v1/leaks/github`, jsonBody([])));
    await record(
      "POST",
      "/api/v1/password-reset",
      await fetch(
        `${testEnv.baseUrl}/api/v1/password-reset`,
        jsonBody({ email: `nobody-${randomUUID()}@example.test` }),
      ),
    );
    await record(
      "POST",
      "/api/v1/password-reset",
      await fetch(`${testEnv.baseUrl}/api/v1/password-reset`, jsonBody({ email: "not an address" })),
    );
    await record(
      "POST",
      "/api/v1/password-reset/confirm",
      await fetch(
        `${testEnv.baseUrl}/api/v1/password-reset/confirm`,
        jsonBody({ token: "x".repeat(43), password: "a-long-enough-password" }),
      ),
    );
    await record(
      "POST",
      "/api/v1/password-reset/confirm",
      await fetch(
        `${testEnv.baseUrl}/api/v1/password-reset/confirm`,
        jsonBody({ token: "x".repeat(43), password: "short" }),
      ),
    );
    await record(
      "GET",
      "/api/v1/protected/whoami",
      await fetch(`${testEnv.baseUrl}/api/v1/protected/whoami`, {
        headers: { authorization: `Bearer ${key.plaintext}` },
      }),
    );
    await record("GET", "/api/v1/protected/whoami", await fetch(`${testEnv.baseUrl}/api/v1/protected/whoami`));
    await record(
      "POST",
      "/api/cron/sweep",
      await fetch(`${testEnv.baseUrl}/api/cron/sweep`, {
        method: "POST",
        headers: { authorization: `Bearer ${testEnv.cronSecret}` },
      }),
    );
    await record("GET", "/api/cron/sweep", await fetch(`${testEnv.baseUrl}/api/cron/sweep`));
  });

  it("a user's keys, notices, preferences and account", async () => {
    const issued = await record(
      "POST",
      "/api/v1/keys",
      await user.request("POST", "/api/v1/keys", {
        name: "doc key",
        scopes: ["read"],
        expiry: { type: "days", days: 30 },
      }),
    );
    await record("POST", "/api/v1/keys", await user.request("POST", "/api/v1/keys", { name: "" }));
    await record("GET", "/api/v1/keys", await user.request("GET", "/api/v1/keys?tab=all"));
    await record("GET", "/api/v1/keys/:id", await user.request("GET", `/api/v1/keys/${issued.key.id}`));
    await record("GET", "/api/v1/keys/:id", await user.request("GET", `/api/v1/keys/${randomUUID()}`));
    // Limits: set at issue, changed, and every verdict they lead to (the gate's 429 too).
    const limited = await record(
      "POST",
      "/api/v1/keys",
      await user.request("POST", "/api/v1/keys", {
        name: "limited",
        scopes: ["read"],
        expiry: { type: "days", days: 30 },
        rateLimit: { limit: 2, window: "day" },
        allowedIps: ["203.0.113.0/24"],
        usageCap: 10,
      }),
    );
    const verifyAs = async (body: { ip?: string; key: string }) =>
      fetch(`${testEnv.baseUrl}/api/v1/keys/verify`, {
        method: "POST",
        headers: await verifyHeaders(body),
        body: JSON.stringify(body),
      });
    await record("POST", "/api/v1/keys/verify", await verifyAs({ key: limited.plaintext }));
    await record("POST", "/api/v1/keys/verify", await verifyAs({ key: limited.plaintext, ip: "198.51.100.1" }));
    await record("POST", "/api/v1/keys/verify", await verifyAs({ key: limited.plaintext, ip: "203.0.113.5" }));
    await record(
      "PATCH",
      "/api/v1/keys/:id/limits",
      await user.request("PATCH", `/api/v1/keys/${limited.key.id}/limits`, { allowedIps: [] }),
    );
    await record(
      "GET",
      "/api/v1/protected/whoami",
      await fetch(`${testEnv.baseUrl}/api/v1/protected/whoami`, { headers: { "x-api-key": limited.plaintext } }),
    );
    const gated = await fetch(`${testEnv.baseUrl}/api/v1/protected/whoami`, {
      headers: { "x-api-key": limited.plaintext },
    });
    expect(gated.status).toBe(429);
    await record("GET", "/api/v1/protected/whoami", gated);
    await record(
      "PATCH",
      "/api/v1/keys/:id/limits",
      await user.request("PATCH", `/api/v1/keys/${limited.key.id}/limits`, { usageCap: 2, rateLimit: null }),
    );
    await record("POST", "/api/v1/keys/verify", await verifyAs({ key: limited.plaintext }));
    await record(
      "PATCH",
      "/api/v1/keys/:id/limits",
      await user.request("PATCH", `/api/v1/keys/${limited.key.id}/limits`, { usageCap: 0 }),
    );
    await record(
      "PATCH",
      "/api/v1/keys/:id/limits",
      await user.request("PATCH", `/api/v1/keys/${randomUUID()}/limits`, { usageCap: 5 }),
    );
    const refusedByGate = await fetch(`${testEnv.baseUrl}/api/v1/protected/whoami`, {
      headers: { "x-api-key": limited.plaintext },
    });
    expect(refusedByGate.status).toBe(403);
    await record("GET", "/api/v1/protected/whoami", refusedByGate);
    await record(
      "GET",
      "/api/v1/keys/:id/usage",
      await user.request("GET", `/api/v1/keys/${issued.key.id}/usage?granularity=hour`),
    );
    await record(
      "GET",
      "/api/v1/keys/:id/usage",
      await user.request("GET", `/api/v1/keys/${issued.key.id}/usage?granularity=week`),
    );
    const rotated = await record(
      "POST",
      "/api/v1/keys/:id/rotate",
      await user.request("POST", `/api/v1/keys/${issued.key.id}/rotate`, { grace: "1h" }),
    );
    await record(
      "POST",
      "/api/v1/keys/:id/revoke",
      await user.request("POST", `/api/v1/keys/${rotated.key.id}/revoke`, { note: "done" }),
    );
    await record("GET", "/api/v1/notifications", await user.request("GET", "/api/v1/notifications"));
    await record(
      "POST",
      "/api/v1/notifications/read",
      await user.request("POST", "/api/v1/notifications/read", { all: true }),
    );
    await record("GET", "/api/v1/me/preferences", await user.request("GET", "/api/v1/me/preferences"));
    await record(
      "PATCH",
      "/api/v1/me/preferences",
      await user.request("PATCH", "/api/v1/me/preferences", { emailReminders: false }),
    );
    await record("GET", "/api/v1/me/github", await user.request("GET", "/api/v1/me/github"));
    await record("POST", "/api/v1/me/verification", await user.request("POST", "/api/v1/me/verification"));
    await record("GET", "/api/v1/keys", await fetch(`${testEnv.baseUrl}/api/v1/keys`));
  });

  it("API tokens, and verifying with one", async () => {
    const made = await record(
      "POST",
      "/api/v1/tokens",
      await user.request("POST", "/api/v1/tokens", {
        name: "doc token",
        scopes: ["keys:read", "verify"],
        expiry: { type: "days", days: 30 },
      }),
    );
    await record("POST", "/api/v1/tokens", await user.request("POST", "/api/v1/tokens", { name: "", scopes: [] }));
    await record("GET", "/api/v1/tokens", await user.request("GET", "/api/v1/tokens"));
    await record("GET", "/api/v1/tokens/:id", await user.request("GET", `/api/v1/tokens/${made.token.id}`));
    await record("GET", "/api/v1/tokens/:id", await user.request("GET", `/api/v1/tokens/${randomUUID()}`));
    const bearer = (token: string, method: string, path: string, body?: unknown) =>
      fetch(`${testEnv.baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
    const key = await seedKey(testDb(), { userId });
    await record(
      "POST",
      "/api/v1/keys/verify",
      await bearer(made.plaintext, "POST", "/api/v1/keys/verify", { key: key.plaintext, ip: "203.0.113.5" }),
    );
    await record(
      "POST",
      "/api/v1/keys/verify",
      await bearer("kwt_nope", "POST", "/api/v1/keys/verify", { key: key.plaintext }),
    );
    await record(
      "POST",
      "/api/v1/keys/verify",
      await fetch(`${testEnv.baseUrl}/api/v1/keys/verify`, jsonBody({ key: key.plaintext, ip: "203.0.113.5" })),
    );
    await record("GET", "/api/v1/keys", await bearer(made.plaintext, "GET", "/api/v1/keys"));
    await record(
      "POST",
      "/api/v1/keys",
      await bearer(made.plaintext, "POST", "/api/v1/keys", {
        name: "x",
        scopes: ["read"],
        expiry: { type: "days", days: 7 },
      }),
    );
    const rotated = await record(
      "POST",
      "/api/v1/tokens/self/rotate",
      await bearer(made.plaintext, "POST", "/api/v1/tokens/self/rotate", { grace: "1h" }),
    );
    await record("POST", "/api/v1/tokens/self/rotate", await user.request("POST", "/api/v1/tokens/self/rotate", {}));
    const again = await record(
      "POST",
      "/api/v1/tokens/:id/rotate",
      await user.request("POST", `/api/v1/tokens/${rotated.token.id}/rotate`, { grace: "none" }),
    );
    await record(
      "POST",
      "/api/v1/tokens/:id/rotate",
      await user.request("POST", `/api/v1/tokens/${rotated.token.id}/rotate`, {}),
    );
    await record(
      "POST",
      "/api/v1/tokens/:id/revoke",
      await user.request("POST", `/api/v1/tokens/${again.token.id}/revoke`, {}),
    );
    await record(
      "POST",
      "/api/v1/tokens/:id/revoke",
      await user.request("POST", `/api/v1/tokens/${again.token.id}/revoke`, {}),
    );
    await record("GET", "/api/v1/keys", await bearer(again.plaintext, "GET", "/api/v1/keys"));
  });

  it("passkeys", async () => {
    const authenticator = new SoftwareAuthenticator(new URL(testEnv.baseUrl).origin);
    const options = await record(
      "POST",
      "/api/v1/me/passkeys/options",
      await user.request("POST", "/api/v1/me/passkeys/options"),
    );
    const added = await record(
      "POST",
      "/api/v1/me/passkeys",
      await user.request("POST", "/api/v1/me/passkeys", {
        response: authenticator.register(options),
        name: "doc passkey",
      }),
    );
    await record(
      "POST",
      "/api/v1/me/passkeys",
      await user.request("POST", "/api/v1/me/passkeys", {
        response: authenticator.register({ ...options, excludeCredentials: [] }),
        name: "again",
      }),
    );
    await record("POST", "/api/v1/me/passkeys", await user.request("POST", "/api/v1/me/passkeys", { name: "" }));
    await record("POST", "/api/v1/me/passkeys/options", await user.request("POST", "/api/v1/me/passkeys/options"));
    await record("GET", "/api/v1/me/passkeys", await user.request("GET", "/api/v1/me/passkeys"));
    await record("GET", "/api/v1/me/passkeys", await fetch(`${testEnv.baseUrl}/api/v1/me/passkeys`));
    await record(
      "PATCH",
      "/api/v1/me/passkeys/:id",
      await user.request("PATCH", `/api/v1/me/passkeys/${added.id}`, { name: "renamed" }),
    );
    await record(
      "PATCH",
      "/api/v1/me/passkeys/:id",
      await user.request("PATCH", `/api/v1/me/passkeys/${randomUUID()}`, { name: "renamed" }),
    );
    await record("DELETE", "/api/v1/me/passkeys/:id", await user.request("DELETE", `/api/v1/me/passkeys/${added.id}`));
    await record("DELETE", "/api/v1/me/passkeys/:id", await user.request("DELETE", `/api/v1/me/passkeys/${added.id}`));
    await record(
      "POST",
      "/api/v1/passkeys/options",
      await fetch(`${testEnv.baseUrl}/api/v1/passkeys/options`, { method: "POST" }),
    );
  });

  it("webhooks", async () => {
    const created = await record(
      "POST",
      "/api/v1/webhooks",
      await user.request("POST", "/api/v1/webhooks", {
        url: "https://hooks.example.com/keyward",
        eventTypes: ["key.revoked"],
      }),
    );
    const id = created.endpoint.id as string;
    await record("GET", "/api/v1/webhooks", await user.request("GET", "/api/v1/webhooks"));
    await record("GET", "/api/v1/webhooks/:id", await user.request("GET", `/api/v1/webhooks/${id}`));
    await record(
      "PATCH",
      "/api/v1/webhooks/:id",
      await user.request("PATCH", `/api/v1/webhooks/${id}`, { enabled: false }),
    );
    await record(
      "POST",
      "/api/v1/webhooks/:id/roll-secret",
      await user.request("POST", `/api/v1/webhooks/${id}/roll-secret`),
    );
    await record(
      "GET",
      "/api/v1/webhooks/:id/deliveries",
      await user.request("GET", `/api/v1/webhooks/${id}/deliveries`),
    );
    await record(
      "POST",
      "/api/v1/webhooks/:id/deliveries/:deliveryId/redeliver",
      await user.request("POST", `/api/v1/webhooks/${id}/deliveries/${randomUUID()}/redeliver`),
    );
    await record("DELETE", "/api/v1/webhooks/:id", await user.request("DELETE", `/api/v1/webhooks/${id}`));
  });

  it("admin routes, the audit export included", async () => {
    for (const path of [
      "/api/v1/admin/keys",
      "/api/v1/admin/audit",
      "/api/v1/admin/outbox",
      "/api/v1/admin/sweeps",
      "/api/v1/admin/users",
      "/api/v1/admin/usage",
    ]) {
      await record("GET", path, await admin.request("GET", path));
      await record("GET", path, await user.request("GET", path));
    }
    const key = await seedKey(testDb(), { userId });
    await record(
      "POST",
      "/api/v1/admin/blacklist",
      await admin.request("POST", "/api/v1/admin/blacklist", { keyId: key.id, reason: "LEAKED" }),
    );
    await record(
      "POST",
      "/api/v1/admin/users/:id/password-reset",
      await admin.request("POST", `/api/v1/admin/users/${userId}/password-reset`),
    );
    await record(
      "POST",
      "/api/v1/admin/users/:id/password-reset",
      await admin.request("POST", `/api/v1/admin/users/${randomUUID()}/password-reset`),
    );
    await record(
      "POST",
      "/api/v1/admin/users/:id/sign-out",
      await admin.request("POST", `/api/v1/admin/users/${userId}/sign-out`),
    );
    await record(
      "POST",
      "/api/v1/admin/users/:id/role",
      await admin.request("POST", `/api/v1/admin/users/${randomUUID()}/role`, { role: "USER" }),
    );
    await record(
      "GET",
      "/api/v1/admin/audit/export",
      await admin.request("GET", "/api/v1/admin/audit/export?format=jsonl"),
    );
    await record(
      "GET",
      "/api/v1/admin/audit/export",
      await admin.request("GET", "/api/v1/admin/audit/export?format=csv"),
    );
    await record(
      "GET",
      "/api/v1/admin/audit/export",
      await admin.request("GET", "/api/v1/admin/audit/export?from=2027-01-01&to=2026-01-01"),
    );
    expect(recorded.size).toBeGreaterThan(40);
  });

  it("the second factor, re-authentication and an admin's reset", async () => {
    const person = await seedUser(testDb());
    const me = new Jar((await signIn(person.email, person.password)).cookie);
    const call = (method: string, path: string, body?: unknown) => me.request(testEnv.baseUrl, method, path, body);
    await record("GET", "/api/v1/me/2fa", await call("GET", "/api/v1/me/2fa"));
    await record("POST", "/api/v1/me/2fa/recovery-codes", await call("POST", "/api/v1/me/2fa/recovery-codes"));
    const { secret } = await record("POST", "/api/v1/me/2fa/totp", await call("POST", "/api/v1/me/2fa/totp"));
    await record(
      "POST",
      "/api/v1/me/2fa/totp/confirm",
      await call("POST", "/api/v1/me/2fa/totp/confirm", { code: "12" }),
    );
    await record(
      "POST",
      "/api/v1/me/2fa/totp/confirm",
      await call("POST", "/api/v1/me/2fa/totp/confirm", { code: currentCode(secret) }),
    );
    await record("POST", "/api/v1/me/2fa/totp", await call("POST", "/api/v1/me/2fa/totp"));
    const { recoveryCodes } = await record(
      "POST",
      "/api/v1/me/2fa/recovery-codes",
      await call("POST", "/api/v1/me/2fa/recovery-codes"),
    );
    await record("GET", "/api/v1/me/reauth", await call("GET", "/api/v1/me/reauth"));
    await record("POST", "/api/v1/me/reauth", await call("POST", "/api/v1/me/reauth", { password: "wrong-password" }));
    await record("POST", "/api/v1/me/reauth", await call("POST", "/api/v1/me/reauth", { password: person.password }));
    me.cookie = await agedCookie(me.cookie, 11);
    await record(
      "DELETE",
      "/api/v1/me/2fa/totp",
      await call("DELETE", "/api/v1/me/2fa/totp", { code: recoveryCodes[0] }),
    );
    await record("POST", "/api/v1/me/reauth", await call("POST", "/api/v1/me/reauth", { otp: recoveryCodes[1] }));
    await record("DELETE", "/api/v1/me/2fa/totp", await call("DELETE", "/api/v1/me/2fa/totp", { code: "000000" }));

    const other = await seedUser(testDb());
    const admin2 = await seedUser(testDb(), { role: "ADMIN" });
    const adminSession = await signIn(admin2.email, admin2.password);
    await record(
      "POST",
      "/api/v1/admin/users/:id/2fa/reset",
      await adminSession.request("POST", `/api/v1/admin/users/${other.id}/2fa/reset`),
    );
    await record(
      "POST",
      "/api/v1/admin/users/:id/2fa/reset",
      await adminSession.request("POST", `/api/v1/admin/users/${person.id}/2fa/reset`),
    );
    await record(
      "POST",
      "/api/v1/admin/users/:id/2fa/reset",
      await adminSession.request("POST", `/api/v1/admin/users/${randomUUID()}/2fa/reset`),
    );
  });
});
