// API tokens end to end, over HTTP against the running app: a person makes one in Settings (the
// same route the page calls) and drives the keys API with it, as a CI job would; every way a
// token can fail says which; a token never does more than its holder may do at that moment; and
// tokens live under the keys' rules (the sweep, reminders, leak reports, the audit trail).
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeTestDb, seedTeam, seedUser, testDb } from "@/test-support/db";
import { testEnv } from "@/test-support/env";
import { expectProblemShape, signIn, sleep, sweep, type Session } from "@/test-support/http";

afterAll(closeTestDb);
const db = () => testDb();

const EVERY_PERSONAL_SCOPE = [
  "keys:read",
  "keys:write",
  "teams:read",
  "teams:write",
  "webhooks:read",
  "webhooks:write",
  "usage:read",
  "audit:read",
  "verify",
  "tokens:read",
  "tokens:write",
];

async function person(role: "USER" | "ADMIN" = "USER") {
  const user = await seedUser(db(), { role });
  return { ...user, session: await signIn(user.email, user.password) };
}

interface Made {
  token: { id: string; name: string; scopes: string[]; expiresAt: string | null; owner: { type: string; id: string } };
  plaintext: string;
}

async function makeToken(session: Session, body: Record<string, unknown>): Promise<Made> {
  const response = await session.request("POST", "/api/v1/tokens", {
    name: `t-${randomBytes(3).toString("hex")}`,
    expiry: { type: "days", days: 30 },
    ...body,
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as Made;
}

/** A request as a script sends it: the token, no cookie. */
function withToken(token: string, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${testEnv.baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function expectRefused(response: Response, status: number, code: string) {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  const problem = JSON.parse(text) as Record<string, unknown>;
  expectProblemShape(problem, status);
  expect(problem.code).toBe(code);
  return problem;
}

let ann: Awaited<ReturnType<typeof person>>;
beforeAll(async () => {
  ann = await person();
});

describe("a script drives the keys API with an API token, no browser session", () => {
  it("issues, lists, rotates and revokes a key, and the token's answers name it in the audit log", async () => {
    const { plaintext, token } = await makeToken(ann.session, { scopes: ["keys:read", "keys:write"] });
    expect(plaintext).toMatch(/^kwt_[0-9A-Za-z]{36}$/);
    // The plaintext is never in a listing.
    const listed = await (await ann.session.request("GET", "/api/v1/tokens")).text();
    expect(listed).toContain(token.id);
    expect(listed).not.toContain(plaintext);

    const issued = await withToken(plaintext, "POST", "/api/v1/keys", {
      name: "ci-issued",
      scopes: ["read"],
      expiry: { type: "days", days: 7 },
    });
    expect(issued.status, await issued.clone().text()).toBe(201);
    const key = ((await issued.json()) as { key: { id: string; owner: { id: string } } }).key;
    expect(key.owner.id).toBe(ann.id);
    const list = (await (await withToken(plaintext, "GET", "/api/v1/keys")).json()) as { items: { id: string }[] };
    expect(list.items.map((k) => k.id)).toContain(key.id);
    const rotated = await withToken(plaintext, "POST", `/api/v1/keys/${key.id}/rotate`, { grace: "1h" });
    expect(rotated.status).toBe(201);
    const next = ((await rotated.json()) as { key: { id: string } }).key;
    // An empty body is a request whose every field is left out.
    const revoked = await fetch(`${testEnv.baseUrl}/api/v1/keys/${next.id}/revoke`, {
      method: "POST",
      headers: { authorization: `Bearer ${plaintext}` },
    });
    expect(revoked.status, await revoked.clone().text()).toBe(200);

    const audit = await db().auditEvent.findMany({ where: { keyId: { in: [key.id, next.id] } } });
    expect(audit.map((a) => a.action).sort()).toEqual(["key.issued", "key.issued", "key.revoked", "key.rotated"]);
    for (const event of audit) {
      expect(event.actorToken).toEqual({ id: token.id, name: token.name, owner: { type: "user", id: ann.id } });
      expect(event.actorLabel).toContain(token.name);
    }
    const page = (await (await ann.session.request("GET", `/api/v1/teams`)).json()) as unknown;
    expect(page).toBeTruthy();
  });

  it("a token is never a key: the verify route calls it MALFORMED, without a lookup", async () => {
    const { plaintext } = await makeToken(ann.session, { scopes: ["keys:read"] });
    const response = await fetch(`${testEnv.baseUrl}/api/v1/keys/verify`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ key: plaintext }),
    });
    expect(await response.json()).toMatchObject({ valid: false, code: "MALFORMED" });
  });
});

describe("a bad token says which", () => {
  it("malformed and unknown: 401 UNAUTHORIZED with WWW-Authenticate", async () => {
    for (const bad of ["kwt_nope", "kwt_000000000000000000000000000000000000", "kw_notatokenatall"]) {
      const response = await withToken(bad, "GET", "/api/v1/keys");
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer .*invalid_token/);
      await expectRefused(response, 401, "UNAUTHORIZED");
    }
    const { plaintext } = await makeToken(ann.session, { scopes: ["keys:read"] });
    // One character off: the checksum fails, so nothing is looked up.
    const typo = `${plaintext.slice(0, -1)}${plaintext.endsWith("a") ? "b" : "a"}`;
    await expectRefused(await withToken(typo, "GET", "/api/v1/keys"), 401, "UNAUTHORIZED");
  });

  it("expired: 401 EXPIRED with when and where to renew; revoked: 401 REVOKED, at once", async () => {
    const expiring = await makeToken(ann.session, { scopes: ["keys:read"] });
    await db().apiKey.update({ where: { id: expiring.token.id }, data: { expiresAt: new Date(Date.now() - 60_000) } });
    await db().$executeRaw`SELECT pg_notify('keyward_key_changed', ${expiring.token.id})`;
    await sleep(200);
    const problem = await expectRefused(await withToken(expiring.plaintext, "GET", "/api/v1/keys"), 401, "EXPIRED");
    expect(problem.expiredAt).toBeTruthy();
    expect(problem.renewUrl).toBe(`${testEnv.baseUrl}/settings/tokens`);

    const revoking = await makeToken(ann.session, { scopes: ["keys:read"] });
    expect((await withToken(revoking.plaintext, "GET", "/api/v1/keys")).status).toBe(200);
    expect((await ann.session.request("POST", `/api/v1/tokens/${revoking.token.id}/revoke`, {})).status).toBe(200);
    await expectRefused(await withToken(revoking.plaintext, "GET", "/api/v1/keys"), 401, "REVOKED");
  });

  it("without the route's scope: 403 INSUFFICIENT_SCOPE naming it; a session-only route refuses every token", async () => {
    const { plaintext } = await makeToken(ann.session, { scopes: ["keys:read"] });
    const problem = await expectRefused(
      await withToken(plaintext, "POST", "/api/v1/keys", {
        name: "x",
        scopes: ["read"],
        expiry: { type: "days", days: 7 },
      }),
      403,
      "INSUFFICIENT_SCOPE",
    );
    expect(problem.requiredScope).toBe("keys:write");
    const every = await makeToken(ann.session, { scopes: EVERY_PERSONAL_SCOPE });
    await expectRefused(
      await withToken(every.plaintext, "POST", "/api/v1/me/password", { password: "a-brand-new-password" }),
      403,
      "FORBIDDEN",
    );
    await expectRefused(
      await withToken(every.plaintext, "DELETE", "/api/v1/me", { confirmEmail: ann.email }),
      403,
      "FORBIDDEN",
    );
  });
});

describe("a token never does more than its holder may do now", () => {
  it("an admin's token loses its admin scopes the moment its owner is demoted", async () => {
    const admin = await person("ADMIN");
    await person("ADMIN"); // the site keeps an admin
    const { plaintext } = await makeToken(admin.session, { scopes: ["admin:read", "keys:read"] });
    expect((await withToken(plaintext, "GET", "/api/v1/admin/users")).status).toBe(200);
    await db().user.update({ where: { id: admin.id }, data: { role: "USER" } });
    await expectRefused(await withToken(plaintext, "GET", "/api/v1/admin/users"), 403, "FORBIDDEN");
    expect((await withToken(plaintext, "GET", "/api/v1/keys")).status).toBe(200);
  });

  it("admin scopes only on a site admin's own token: a person asks for them in vain", async () => {
    const response = await ann.session.request("POST", "/api/v1/tokens", {
      name: "x",
      scopes: ["admin:read"],
      expiry: { type: "days", days: 7 },
    });
    await expectRefused(response, 403, "FORBIDDEN");
  });

  it("a personal token stops acting for a team the moment its owner leaves it", async () => {
    const owner = await person();
    const member = await person();
    const team = await seedTeam(db(), { owner: owner.id, members: [{ userId: member.id, role: "ADMIN" }] });
    const { plaintext } = await makeToken(member.session, { scopes: ["keys:read", "keys:write"] });
    expect((await withToken(plaintext, "GET", `/api/v1/keys?team=${team.id}`)).status).toBe(200);
    expect((await owner.session.request("DELETE", `/api/v1/teams/${team.id}/members/${member.id}`)).status).toBe(200);
    await expectRefused(await withToken(plaintext, "GET", `/api/v1/keys?team=${team.id}`), 404, "NOT_FOUND");
  });

  it("a team token acts for its team alone, dies when its maker stops administering the team, and with the team", async () => {
    const owner = await person();
    const admin = await person();
    const team = await seedTeam(db(), { owner: owner.id, members: [{ userId: admin.id, role: "ADMIN" }] });
    const other = await seedTeam(db(), { owner: admin.id });
    const { plaintext, token } = await makeToken(admin.session, {
      teamId: team.id,
      scopes: ["keys:read", "keys:write", "teams:read", "tokens:read"],
    });
    expect(token.owner).toMatchObject({ type: "team", id: team.id });
    // Without a team, its requests mean its own team.
    const issued = await withToken(plaintext, "POST", "/api/v1/keys", {
      name: "team-ci",
      scopes: ["read"],
      expiry: { type: "days", days: 7 },
    });
    expect(issued.status, await issued.clone().text()).toBe(201);
    expect(((await issued.json()) as { key: { owner: { type: string; id: string } } }).key.owner).toMatchObject({
      type: "team",
      id: team.id,
    });
    // Nothing of its maker's, nor of the maker's other team.
    const personal = await admin.session.request("POST", "/api/v1/keys", {
      name: "mine",
      scopes: ["read"],
      expiry: { type: "days", days: 7 },
    });
    const personalId = ((await personal.json()) as { key: { id: string } }).key.id;
    await expectRefused(await withToken(plaintext, "GET", `/api/v1/keys/${personalId}`), 404, "NOT_FOUND");
    await expectRefused(await withToken(plaintext, "GET", `/api/v1/keys?team=${other.id}`), 404, "NOT_FOUND");
    // Its team's service account is no person of the team.
    const members = (await (await owner.session.request("GET", `/api/v1/teams/${team.id}/members`)).json()) as {
      items: { userId: string }[];
    };
    expect(members.items.map((m) => m.userId).sort()).toEqual([admin.id, owner.id].sort());

    // The maker is demoted to member: the token stops at once, revoked with an event.
    expect(
      (await owner.session.request("PATCH", `/api/v1/teams/${team.id}/members/${admin.id}`, { role: "MEMBER" })).status,
    ).toBe(200);
    await expectRefused(await withToken(plaintext, "GET", "/api/v1/keys"), 401, "REVOKED");
    expect((await db().blacklistedKey.findUniqueOrThrow({ where: { keyId: token.id } })).reason).toBe("REVOKED");

    // A team token made by the owner dies with the team.
    const second = await makeToken(owner.session, { teamId: team.id, scopes: ["keys:read"] });
    expect((await withToken(second.plaintext, "GET", "/api/v1/keys")).status).toBe(200);
    await db().blacklistedKey.createMany({
      data: (await db().apiKey.findMany({ where: { teamId: team.id, kind: "KEY" }, select: { id: true } })).map(
        (k) => ({ keyId: k.id, reason: "REVOKED", actorLabel: "test" }),
      ),
      skipDuplicates: true,
    });
    expect((await owner.session.request("DELETE", `/api/v1/teams/${team.id}`)).status).toBe(200);
    await expectRefused(await withToken(second.plaintext, "GET", "/api/v1/keys"), 401, "REVOKED");
  });

  it("deleting the account revokes its tokens", async () => {
    const leaving = await person();
    const { plaintext, token } = await makeToken(leaving.session, { scopes: ["keys:read"] });
    expect((await leaving.session.request("DELETE", "/api/v1/me", { confirmEmail: leaving.email })).status).toBe(200);
    await expectRefused(await withToken(plaintext, "GET", "/api/v1/keys"), 401, "REVOKED");
    expect((await db().blacklistedKey.findUniqueOrThrow({ where: { keyId: token.id } })).note).toBe(
      "owner account deleted",
    );
  });

  it("a token hands on only its own scopes and lifetime", async () => {
    const { plaintext } = await makeToken(ann.session, {
      scopes: ["tokens:write", "keys:read"],
      expiry: { type: "days", days: 7 },
    });
    await expectRefused(
      await withToken(plaintext, "POST", "/api/v1/tokens", {
        name: "wider",
        scopes: ["keys:write"],
        expiry: { type: "days", days: 7 },
      }),
      403,
      "FORBIDDEN",
    );
    await expectRefused(
      await withToken(plaintext, "POST", "/api/v1/tokens", {
        name: "longer",
        scopes: ["keys:read"],
        expiry: { type: "days", days: 30 },
      }),
      422,
      "UNPROCESSABLE",
    );
    const narrower = await withToken(plaintext, "POST", "/api/v1/tokens", {
      name: "narrower",
      scopes: ["keys:read"],
      expiry: { type: "date", date: new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10) },
    });
    expect(narrower.status, await narrower.clone().text()).toBe(201);
  });
});

describe("rotation", () => {
  it("a token rotates itself (POST /api/v1/tokens/self/rotate): the new one works, the old one for its grace only", async () => {
    const { plaintext, token } = await makeToken(ann.session, { scopes: ["keys:read"] });
    const response = await withToken(plaintext, "POST", "/api/v1/tokens/self/rotate", { grace: "1h" });
    expect(response.status, await response.clone().text()).toBe(201);
    const rotated = (await response.json()) as {
      token: { id: string; scopes: string[]; name: string };
      plaintext: string;
      previous: { id: string; graceEndsAt: string };
    };
    expect(rotated.previous.id).toBe(token.id);
    expect(rotated.token).toMatchObject({ name: token.name, scopes: ["keys:read"] });
    expect((await withToken(rotated.plaintext, "GET", "/api/v1/keys")).status).toBe(200);
    expect((await withToken(plaintext, "GET", "/api/v1/keys")).status).toBe(200);
    // A retried CI job rotates once, not twice.
    await expectRefused(
      await withToken(plaintext, "POST", "/api/v1/tokens/self/rotate", { grace: "1h" }),
      409,
      "CONFLICT",
    );
    // The grace period ends: the old token answers REVOKED (the sweep writes the blacklist row later).
    await db().apiKey.update({ where: { id: token.id }, data: { graceEndsAt: new Date(Date.now() - 1000) } });
    await db().$executeRaw`SELECT pg_notify('keyward_key_changed', ${token.id})`;
    await sleep(200);
    await expectRefused(await withToken(plaintext, "GET", "/api/v1/keys"), 401, "REVOKED");
    // A session has no token to rotate.
    await expectRefused(await ann.session.request("POST", "/api/v1/tokens/self/rotate", {}), 401, "UNAUTHORIZED");
  });
});

describe("tokens live under the keys' rules", () => {
  it("the sweep blacklists an expired token, after a reminder; both are token events with notices", async () => {
    const owner = await person();
    const soon = await makeToken(owner.session, { scopes: ["keys:read"] });
    const gone = await makeToken(owner.session, { scopes: ["keys:read"] });
    await db().apiKey.update({
      where: { id: soon.token.id },
      data: { expiresAt: new Date(Date.now() + 2 * 86_400_000) },
    });
    await db().apiKey.update({ where: { id: gone.token.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await sweep()).status).toBe(200);
    expect((await db().blacklistedKey.findUniqueOrThrow({ where: { keyId: gone.token.id } })).reason).toBe("EXPIRED");
    const events = await db().keyEvent.findMany({
      where: { keyId: { in: [soon.token.id, gone.token.id] } },
      select: { keyId: true, type: true },
    });
    expect(events).toEqual(
      expect.arrayContaining([
        { keyId: soon.token.id, type: "TOKEN_EXPIRING" },
        { keyId: gone.token.id, type: "TOKEN_EXPIRED" },
      ]),
    );
    const notices = await db().notification.findMany({
      where: { userId: owner.id },
      select: { kind: true, keyKind: true, keyId: true },
    });
    expect(notices).toEqual(
      expect.arrayContaining([
        { kind: "REMINDER", keyKind: "TOKEN", keyId: soon.token.id },
        { kind: "EXPIRED", keyKind: "TOKEN", keyId: gone.token.id },
      ]),
    );
  });

  it("a token reported as leaked is revoked at once, like a key", async () => {
    const { plaintext, token } = await makeToken(ann.session, { scopes: ["keys:read"] });
    const report = await fetch(`${testEnv.baseUrl}/api/v1/leaks/report`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ key: plaintext, url: "https://gist.example.com/x" }),
    });
    expect(report.status).toBe(202);
    const problem = await expectRefused(await withToken(plaintext, "GET", "/api/v1/keys"), 401, "REVOKED");
    expect(problem.detail).toMatch(/leaked/);
    expect((await db().keyEvent.findFirstOrThrow({ where: { keyId: token.id, type: "TOKEN_LEAKED" } })).type).toBe(
      "TOKEN_LEAKED",
    );
  });

  it("no listing of keys shows a token, and a token's id is no key's", async () => {
    const { token } = await makeToken(ann.session, { scopes: ["keys:read"] });
    const keys = await (await ann.session.request("GET", "/api/v1/keys?tab=all")).text();
    expect(keys).not.toContain(token.id);
    expect((await ann.session.request("GET", `/api/v1/keys/${token.id}`)).status).toBe(404);
    expect((await ann.session.request("POST", `/api/v1/keys/${token.id}/revoke`, {})).status).toBe(404);
  });
});
