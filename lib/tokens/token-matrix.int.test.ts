// The authorization matrix for API tokens, generated from the routes' declarations (each route's
// declaration.ts, listed in app/api/declarations.ts): on every route
// a token may call, a token with exactly the needed scope gets past authorization, one with any
// other scope gets 403 INSUFFICIENT_SCOPE naming the scope, and an expired or revoked one 401.
// Routes for a person at the keyboard refuse every token. The tokens are a site admin's, so
// admin routes are reachable with their scopes; the path parameters name nothing, so a token
// that got through meets a 404 (or a 422 about its body) rather than a refusal.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_SCOPES, type ApiScope } from "@/lib/api/scopes";
import { DECLARED_ROUTES } from "@/app/api/declarations";
import { isDocumented } from "@/lib/routes/declaration";
import { closeTestDb, seedUser, testDb } from "@/test-support/db";
import { testEnv } from "@/test-support/env";
import { expectProblemShape, signIn, sleep } from "@/test-support/http";
import { fill, ROUTES } from "@/test-support/routes";

const forTokens = DECLARED_ROUTES.filter(isDocumented)
  .filter(({ declaration }) => declaration.access === "user" || declaration.access === "admin")
  .map(({ path, method, declaration }) => ({ path, method: method.toLowerCase(), scope: declaration.scope }));
const byScope = new Map<ApiScope, string>();
let expired: string;
let revoked: string;

beforeAll(async () => {
  const admin = await seedUser(testDb(), { role: "ADMIN" });
  const session = await signIn(admin.email, admin.password);
  const make = async (scopes: ApiScope[]) => {
    const response = await session.request("POST", "/api/v1/tokens", {
      name: `matrix ${scopes.length === 1 ? scopes[0] : "all"}`,
      scopes,
      expiry: { type: "days", days: 7 },
    });
    expect(response.status, await response.clone().text()).toBe(201);
    return (await response.json()) as { token: { id: string }; plaintext: string };
  };
  for (const scope of API_SCOPES) byScope.set(scope, (await make([scope])).plaintext);
  const old = await make([...API_SCOPES]);
  await testDb().apiKey.update({ where: { id: old.token.id }, data: { expiresAt: new Date(Date.now() - 60_000) } });
  await testDb().$executeRaw`SELECT pg_notify('keyward_key_changed', ${old.token.id})`;
  expired = old.plaintext;
  const gone = await make([...API_SCOPES]);
  expect((await session.request("POST", `/api/v1/tokens/${gone.token.id}/revoke`, {})).status).toBe(200);
  revoked = gone.plaintext;
  await sleep(200);
});
afterAll(closeTestDb);

/** A well-formed body (each field's first plausible value from the route inventory). */
function bodyFor(path: string): string | undefined {
  const spec = ROUTES.find((r) => r.path === path);
  return JSON.stringify(
    Object.fromEntries(Object.entries(spec?.body ?? {}).map(([name, samples]) => [name, samples[0]])),
  );
}

function call(token: string, method: string, path: string): Promise<Response> {
  const body = method === "get" ? undefined : bodyFor(path);
  return fetch(`${testEnv.baseUrl}${fill(path, randomUUID())}`, {
    method: method.toUpperCase(),
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
    body,
    redirect: "manual",
  });
}

async function refusal(response: Response, status: number, what: string) {
  const text = await response.text();
  expect(response.status, `${what}: ${text.slice(0, 200)}`).toBe(status);
  const problem = JSON.parse(text) as Record<string, unknown>;
  expectProblemShape(problem, status);
  return problem;
}

describe("API tokens × every route", () => {
  it("covers every route a person's session can call", () => {
    expect(forTokens.length).toBeGreaterThan(40);
    expect(
      forTokens.every((op) => op.scope !== undefined),
      "every user and admin operation names its scope, or null",
    ).toBe(true);
  });

  for (const op of forTokens.filter((o) => o.scope)) {
    it(`${op.method.toUpperCase()} ${op.path} needs ${op.scope}`, async () => {
      const what = `${op.method.toUpperCase()} ${op.path}`;
      const granted = await call(byScope.get(op.scope!)!, op.method, op.path);
      const text = await granted.text();
      expect(granted.status, `${what} with ${op.scope}: ${text.slice(0, 200)}`).not.toBe(401);
      // Past authorization a route may still refuse for its own reasons (a token handing on a
      // scope it lacks is 403), never for the scope or the caller's kind.
      if (granted.status === 403)
        expect(JSON.parse(text).detail, what).not.toMatch(/lacks the scope|needs a signed-in person|Only admins/);
      const other = API_SCOPES.find((s) => s !== op.scope)!;
      const problem = await refusal(await call(byScope.get(other)!, op.method, op.path), 403, `${what} with ${other}`);
      expect(problem).toMatchObject({ code: "INSUFFICIENT_SCOPE", requiredScope: op.scope });
      expect((await refusal(await call(expired, op.method, op.path), 401, `${what} expired`)).code).toBe("EXPIRED");
      expect((await refusal(await call(revoked, op.method, op.path), 401, `${what} revoked`)).code).toBe("REVOKED");
    });
  }

  it("routes for a person at the keyboard refuse every token", async () => {
    const sessionOnly = forTokens.filter((op) => op.scope === null);
    expect(sessionOnly.length).toBeGreaterThan(5);
    const everything = [...byScope.values()];
    for (const op of sessionOnly) {
      for (const token of everything) {
        expect((await refusal(await call(token, op.method, op.path), 403, `${op.method} ${op.path}`)).code).toBe(
          "FORBIDDEN",
        );
      }
    }
  });
});
