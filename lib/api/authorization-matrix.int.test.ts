// The authorization matrix, generated from the routes' declarations (via test-support/routes.ts):
// every API route and method, called by every kind of caller that may not use it, answers the right
// refusal in the problem+json shape, and someone else's record is a 404 like a missing one.
// A new route joins this matrix by its declaration (a unit test insists every route has one).
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeTestDb, seedKey, seedTeam, seedUser, testDb } from "@/test-support/db";
import { testEnv } from "@/test-support/env";
import { expectProblemShape, signIn, type Session } from "@/test-support/http";
import { fill, ROUTES, type Method, type RouteSpec } from "@/test-support/routes";

const api = ROUTES.filter((r) => r.kind === "api");
let user: Session;
let admin: Session;
let strangersKey: string;
let strangersTeam: string;
let strangersTeamKey: string;

beforeAll(async () => {
  const db = testDb();
  const [u, a, stranger] = await Promise.all([seedUser(db), seedUser(db, { role: "ADMIN" }), seedUser(db)]);
  strangersKey = (await seedKey(db, { userId: stranger.id })).id;
  // A team the signed-in user is not in (they are in another one), with a key of its own.
  strangersTeam = (await seedTeam(db, { owner: stranger.id })).id;
  strangersTeamKey = (await seedKey(db, { teamId: strangersTeam, issuedById: stranger.id })).id;
  await seedTeam(db, { owner: u.id });
  [user, admin] = await Promise.all([signIn(u.email, u.password), signIn(a.email, a.password)]);
});
afterAll(closeTestDb);

/** A well-formed body (each field's first plausible value), so a refusal is about who, not what. */
const bodyFor = (route: RouteSpec) =>
  JSON.stringify(Object.fromEntries(Object.entries(route.body ?? {}).map(([name, samples]) => [name, samples[0]])));

function call(method: Method, path: string, session?: Session, route?: RouteSpec): Promise<Response> {
  const body = method === "GET" ? undefined : route ? bodyFor(route) : "{}";
  const headers: Record<string, string> = body ? { "content-type": "application/json" } : {};
  return session
    ? session.request(method, path, body, headers)
    : fetch(`${testEnv.baseUrl}${path}`, { method, body, headers, redirect: "manual" });
}

async function expectRefusal(response: Response, status: number, what: string) {
  expect(response.status, what).toBe(status);
  expectProblemShape(await response.json(), status);
}

describe("authorization matrix", () => {
  it("anonymous callers: 401 on every user, admin, cron and key route", async () => {
    const guarded = api.filter((r) => ["user", "admin", "cron", "key"].includes(r.access));
    expect(guarded.length).toBeGreaterThan(15);
    for (const route of guarded) {
      for (const method of route.methods) {
        await expectRefusal(
          await call(method, fill(route.path, randomUUID())),
          401,
          `anonymous ${method} ${route.path}`,
        );
      }
    }
  });

  it("signed-in users who are not admins: 403 on every admin route", async () => {
    for (const route of api.filter((r) => r.access === "admin")) {
      for (const method of route.methods) {
        await expectRefusal(
          await call(method, fill(route.path, randomUUID()), user),
          403,
          `user ${method} ${route.path}`,
        );
      }
    }
  });

  it("someone else's record, a missing one and a malformed id: the same 404", async () => {
    const withIds = api.filter((r) => r.path.includes(":") && (r.access === "user" || r.access === "admin"));
    expect(withIds.length).toBeGreaterThan(3);
    for (const route of withIds) {
      const session = route.access === "admin" ? admin : user;
      // For a user's routes the stranger's key is someone else's; admin routes name users, so a
      // key's id names no user there either.
      for (const id of [strangersKey, strangersTeam, strangersTeamKey, randomUUID(), "not-an-id", "%00"]) {
        for (const method of route.methods) {
          await expectRefusal(
            await call(method, fill(route.path, id), session, route),
            404,
            `${route.access} ${method} ${route.path} (${id})`,
          );
        }
      }
    }
    // And nothing happened to the stranger's key.
    expect(await testDb().blacklistedKey.count({ where: { keyId: { in: [strangersKey, strangersTeamKey] } } })).toBe(0);
    expect(await testDb().team.findUniqueOrThrow({ where: { id: strangersTeam } })).toMatchObject({ deletedAt: null });
  });
});
