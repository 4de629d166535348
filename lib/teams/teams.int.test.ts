// Teams over real HTTP against the running app: creating, inviting and accepting, what each role
// may do with team keys, removal taking effect at the next request, the last-owner rule, account
// deletion, and the database's own guarantee that a key has exactly one owner.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeTestDb, seedKey, seedTeam, seedUser, testDb } from "@/test-support/db";
import { testEnv } from "@/test-support/env";
import { expectProblemShape, signIn, sleep, verify, type Session } from "@/test-support/http";

type Seeded = Awaited<ReturnType<typeof seedUser>>;
const people: Record<"owner" | "admin" | "member" | "other" | "outsider", { user: Seeded; session: Session }> =
  {} as never;
let team: { id: string; name: string; slug: string };

beforeAll(async () => {
  const db = testDb();
  for (const name of ["owner", "admin", "member", "other", "outsider"] as const) {
    const user = await seedUser(db, { name });
    people[name] = { user, session: await signIn(user.email, user.password) };
  }
  team = await seedTeam(db, {
    name: "Payments",
    owner: people.owner.user.id,
    members: [
      { userId: people.admin.user.id, role: "ADMIN" },
      { userId: people.member.user.id, role: "MEMBER" },
      { userId: people.other.user.id, role: "MEMBER" },
    ],
  });
});
afterAll(closeTestDb);

const as = (who: keyof typeof people) => people[who].session;
async function expectStatus(response: Response, status: number, what?: string) {
  const body = await response.json();
  expect(response.status, `${what ?? ""} ${JSON.stringify(body)}`).toBe(status);
  if (status >= 400) expectProblemShape(body, status);
  return body;
}
const issueTeamKey = async (who: keyof typeof people, name = "team svc") =>
  expectStatus(
    await as(who).request("POST", "/api/v1/keys", {
      name,
      expiry: { type: "days", days: 30 },
      scopes: ["read"],
      teamId: team.id,
    }),
    201,
  );
const invitationToken = async (email: string) => {
  const mail = await testDb().emailMessage.findFirst({
    where: { toAddress: email, kind: "TEAM_INVITATION" },
    orderBy: { createdAt: "desc" },
  });
  return /\/invitations\/([A-Za-z0-9_-]{43})/.exec(mail?.text ?? "")?.[1];
};

describe("creating a team", () => {
  it("needs a verified address; the creator is its owner; a taken slug is a 409", async () => {
    const db = testDb();
    const unverified = await seedUser(db, { verified: false });
    const session = await signIn(unverified.email, unverified.password);
    await expectStatus(await session.request("POST", "/api/v1/teams", { name: "Nope" }), 403);

    const created = await expectStatus(
      await as("outsider").request("POST", "/api/v1/teams", { name: "Research & Development" }),
      201,
    );
    expect(created).toMatchObject({ name: "Research & Development", role: "OWNER", members: 1, activeKeys: 0 });
    expect(created.slug).toMatch(/^research-development/);
    await expectStatus(await as("owner").request("POST", "/api/v1/teams", { name: "Again", slug: created.slug }), 409);
    const audit = await db.auditEvent.findFirst({ where: { action: "team.created", teamId: created.id } });
    expect(audit?.actorLabel).toBe(people.outsider.user.email);
  });
});

describe("invitations", () => {
  it("invite by email; the invited, verified address accepts once; twice, revoked and expired say so", async () => {
    const db = testDb();
    const invitee = await seedUser(db);
    const inviteeSession = await signIn(invitee.email, invitee.password);
    // A member may not invite; an admin may, but not as owner.
    await expectStatus(
      await as("member").request("POST", `/api/v1/teams/${team.id}/invitations`, {
        email: invitee.email,
        role: "MEMBER",
      }),
      403,
    );
    await expectStatus(
      await as("admin").request("POST", `/api/v1/teams/${team.id}/invitations`, {
        email: invitee.email,
        role: "OWNER",
      }),
      403,
    );
    await expectStatus(
      await as("admin").request("POST", `/api/v1/teams/${team.id}/invitations`, {
        email: invitee.email,
        role: "MEMBER",
      }),
      201,
    );
    const pending = await expectStatus(await as("admin").request("GET", `/api/v1/teams/${team.id}/invitations`), 200);
    expect(pending.items.map((i: { email: string }) => i.email)).toContain(invitee.email);
    const token = await invitationToken(invitee.email);
    expect(token).toBeDefined();

    // The page opens for anyone and changes nothing; someone else can't accept it.
    const page = await fetch(`${testEnv.baseUrl}/invitations/${token}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Payments");
    const unknown = await fetch(`${testEnv.baseUrl}/invitations/${"x".repeat(43)}`);
    expect(await unknown.text()).toContain("not an invitation we sent");
    const wrong = await expectStatus(await as("outsider").request("POST", `/api/v1/invitations/${token}/accept`), 200);
    expect(wrong).toEqual({ status: "wrong-address", email: invitee.email });

    const joined = await expectStatus(await inviteeSession.request("POST", `/api/v1/invitations/${token}/accept`), 200);
    expect(joined).toMatchObject({ status: "joined", team: { id: team.id } });
    expect(await db.teamMember.findFirst({ where: { teamId: team.id, userId: invitee.id } })).toMatchObject({
      role: "MEMBER",
    });
    const again = await expectStatus(await inviteeSession.request("POST", `/api/v1/invitations/${token}/accept`), 200);
    expect(again).toEqual({ status: "accepted" });
    expect(
      await db.auditEvent.count({ where: { action: "team.member_joined", teamId: team.id, actorId: invitee.id } }),
    ).toBe(1);

    // Revoked and expired invitations.
    const late = await seedUser(db);
    const lateSession = await signIn(late.email, late.password);
    const invitation = await expectStatus(
      await as("owner").request("POST", `/api/v1/teams/${team.id}/invitations`, { email: late.email, role: "ADMIN" }),
      201,
    );
    const lateToken = (await invitationToken(late.email))!;
    await expectStatus(
      await as("owner").request("DELETE", `/api/v1/teams/${team.id}/invitations/${invitation.id}`),
      200,
    );
    expect(
      await expectStatus(await lateSession.request("POST", `/api/v1/invitations/${lateToken}/accept`), 200),
    ).toEqual({ status: "revoked" });
    await expectStatus(
      await as("owner").request("POST", `/api/v1/teams/${team.id}/invitations`, { email: late.email, role: "ADMIN" }),
      201,
    );
    const expiredToken = (await invitationToken(late.email))!;
    await db.teamInvitation.updateMany({
      where: { teamId: team.id, email: late.email, revokedAt: null },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect(
      await expectStatus(await lateSession.request("POST", `/api/v1/invitations/${expiredToken}/accept`), 200),
    ).toEqual({ status: "expired" });
    expect(await db.teamMember.count({ where: { teamId: team.id, userId: late.id } })).toBe(0);

    // An unverified account with the invited address must verify first.
    const unverified = await seedUser(db, { verified: false });
    const unverifiedSession = await signIn(unverified.email, unverified.password);
    await expectStatus(
      await as("owner").request("POST", `/api/v1/teams/${team.id}/invitations`, {
        email: unverified.email,
        role: "MEMBER",
      }),
      201,
    );
    const unverifiedToken = (await invitationToken(unverified.email))!;
    expect(
      await expectStatus(await unverifiedSession.request("POST", `/api/v1/invitations/${unverifiedToken}/accept`), 200),
    ).toEqual({
      status: "unverified",
      email: unverified.email,
    });
  });
});

describe("team keys and roles", () => {
  it("members issue team keys that verify with the team as owner and name their issuer", async () => {
    const key = await issueTeamKey("member", "billing prod");
    expect(key.key.owner).toMatchObject({ type: "team", id: team.id, name: "Payments" });
    expect(key.key.issuedBy).toMatchObject({ id: people.member.user.id });
    const answer = await verify(key.plaintext);
    expect(answer.body).toMatchObject({
      valid: true,
      code: "VALID",
      ownerId: team.id,
      owner: { type: "team", id: team.id, name: "Payments" },
    });
    // Every member sees it in the team's list; an outsider gets the same 404 as a missing team.
    const listed = await expectStatus(await as("other").request("GET", `/api/v1/keys?team=${team.id}&tab=all`), 200);
    expect(listed.items.map((k: { id: string }) => k.id)).toContain(key.key.id);
    await expectStatus(await as("outsider").request("GET", `/api/v1/keys?team=${team.id}`), 404);
    await expectStatus(await as("outsider").request("GET", `/api/v1/keys/${key.key.id}`), 404);
    await expectStatus(await as("outsider").request("POST", `/api/v1/keys/${key.key.id}/revoke`, {}), 404);
    // Not in the issuer's personal list.
    const personal = await expectStatus(await as("member").request("GET", "/api/v1/keys?tab=all"), 200);
    expect(personal.items.map((k: { id: string }) => k.id)).not.toContain(key.key.id);
    // An outsider can't issue for the team either.
    await expectStatus(
      await as("outsider").request("POST", "/api/v1/keys", {
        name: "x",
        expiry: { type: "days", days: 30 },
        scopes: ["read"],
        teamId: team.id,
      }),
      404,
    );
  });

  it("members rotate the keys they issued, admins any team key; members renew and revoke any", async () => {
    const mine = await issueTeamKey("member", "mine");
    const theirs = await issueTeamKey("other", "theirs");
    const rotate = { grace: "1h", expiry: { type: "days", days: 30 } };
    const rotated = await expectStatus(
      await as("member").request("POST", `/api/v1/keys/${mine.key.id}/rotate`, rotate),
      201,
    );
    expect(rotated.key.owner).toMatchObject({ type: "team", id: team.id });
    await expectStatus(await as("member").request("POST", `/api/v1/keys/${theirs.key.id}/rotate`, rotate), 403);
    await expectStatus(await as("admin").request("POST", `/api/v1/keys/${theirs.key.id}/rotate`, rotate), 201);
    const victim = await issueTeamKey("other", "to revoke");
    await expectStatus(
      await as("member").request("POST", `/api/v1/keys/${victim.key.id}/revoke`, { note: "done" }),
      200,
    );
    expect((await verify(victim.plaintext)).body).toMatchObject({ valid: false, code: "REVOKED" });
    const audit = await testDb().auditEvent.findFirst({ where: { action: "key.revoked", keyId: victim.key.id } });
    expect(audit).toMatchObject({ teamId: team.id, actorId: people.member.user.id });
  });

  it("only owners change roles; the last owner can't leave or be demoted", async () => {
    await expectStatus(
      await as("admin").request("PATCH", `/api/v1/teams/${team.id}/members/${people.other.user.id}`, { role: "ADMIN" }),
      403,
    );
    await expectStatus(
      await as("member").request("DELETE", `/api/v1/teams/${team.id}/members/${people.other.user.id}`),
      403,
    );
    await expectStatus(
      await as("owner").request("PATCH", `/api/v1/teams/${team.id}/members/${people.owner.user.id}`, { role: "ADMIN" }),
      409,
    );
    await expectStatus(
      await as("owner").request("DELETE", `/api/v1/teams/${team.id}/members/${people.owner.user.id}`),
      409,
    );
    // An admin can't remove an owner.
    await expectStatus(
      await as("admin").request("DELETE", `/api/v1/teams/${team.id}/members/${people.owner.user.id}`),
      403,
    );
    const changed = await expectStatus(
      await as("owner").request("PATCH", `/api/v1/teams/${team.id}/members/${people.other.user.id}`, { role: "ADMIN" }),
      200,
    );
    expect(changed).toMatchObject({ role: "ADMIN" });
    await expectStatus(
      await as("owner").request("PATCH", `/api/v1/teams/${team.id}/members/${people.other.user.id}`, {
        role: "MEMBER",
      }),
      200,
    );
    expect(await testDb().auditEvent.count({ where: { action: "team.role_changed", teamId: team.id } })).toBe(2);
  });

  it("a removed member is refused at the next request; the keys they issued keep working", async () => {
    const db = testDb();
    const leaver = await seedUser(db);
    await db.teamMember.create({ data: { teamId: team.id, userId: leaver.id, role: "MEMBER" } });
    const session = await signIn(leaver.email, leaver.password);
    const key = await expectStatus(
      await session.request("POST", "/api/v1/keys", {
        name: "leaver's",
        expiry: { type: "days", days: 30 },
        scopes: ["read"],
        teamId: team.id,
      }),
      201,
    );
    const personal = await expectStatus(
      await session.request("POST", "/api/v1/keys", {
        name: "own",
        expiry: { type: "days", days: 30 },
        scopes: ["read"],
      }),
      201,
    );
    await expectStatus(await session.request("GET", `/api/v1/keys/${key.key.id}`), 200);

    await expectStatus(await as("admin").request("DELETE", `/api/v1/teams/${team.id}/members/${leaver.id}`), 200);
    await expectStatus(await session.request("GET", `/api/v1/keys/${key.key.id}`), 404);
    await expectStatus(await session.request("GET", `/api/v1/teams/${team.id}`), 404);
    await expectStatus(await session.request("POST", `/api/v1/keys/${key.key.id}/revoke`, {}), 404);
    expect((await verify(key.plaintext)).body).toMatchObject({ valid: true, ownerId: team.id });
    expect((await verify(personal.plaintext)).body).toMatchObject({ valid: true, ownerId: leaver.id });
    const detail = await expectStatus(await as("owner").request("GET", `/api/v1/keys/${key.key.id}`), 200);
    expect(detail.issuedBy).toMatchObject({ id: leaver.id });
    expect(
      await db.auditEvent.count({ where: { action: "team.member_removed", teamId: team.id } }),
    ).toBeGreaterThanOrEqual(1);
  });

  it("the team's log is for its owners and admins", async () => {
    const log = await expectStatus(
      await as("admin").request("GET", `/api/v1/teams/${team.id}/audit?pageSize=100`),
      200,
    );
    const actions = new Set(log.items.map((e: { action: string }) => e.action));
    for (const action of [
      "key.issued",
      "key.rotated",
      "key.revoked",
      "team.member_invited",
      "team.member_joined",
      "team.role_changed",
      "team.member_removed",
    ]) {
      expect(actions, action).toContain(action);
    }
    await expectStatus(await as("member").request("GET", `/api/v1/teams/${team.id}/audit`), 403);
    // Its owners download it: only this team's events.
    const exported = await as("owner").request("GET", `/api/v1/teams/${team.id}/audit/export?format=jsonl`);
    expect(exported.status).toBe(200);
    const lines = (await exported.text())
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { action: string; detail: unknown });
    expect(lines.filter((e) => e.action === "team.created")).toHaveLength(0); // seeded, not created through the API
    expect(lines.some((e) => e.action === "team.member_joined")).toBe(true);
    const others = await testDb().auditEvent.count({ where: { teamId: { not: team.id } } });
    expect(others).toBeGreaterThan(0); // other teams' events exist, and none came out
    expect(lines.length).toBe(await testDb().auditEvent.count({ where: { teamId: team.id } })); // the export's own record included
    expect((await as("admin").request("GET", `/api/v1/teams/${team.id}/audit/export`)).status).toBe(403);
    await expectStatus(await as("outsider").request("GET", `/api/v1/teams/${team.id}/audit`), 404);
  });
});

describe("renaming", () => {
  it("reaches the verify answer of every key looked up after the rename, on every instance", async () => {
    const renamed = await seedTeam(testDb(), { name: "Ledger", owner: people.owner.user.id });
    const issue = async (name: string) =>
      expectStatus(
        await as("owner").request("POST", "/api/v1/keys", {
          name,
          expiry: { type: "days", days: 30 },
          scopes: ["read"],
          teamId: renamed.id,
        }),
        201,
      );
    // The first verify puts the team's name in the cache of owner names.
    expect((await verify((await issue("first")).plaintext)).body).toMatchObject({
      owner: { type: "team", id: renamed.id, name: "Ledger" },
    });
    await expectStatus(await as("owner").request("PATCH", `/api/v1/teams/${renamed.id}`, { name: "Ledger Ops" }), 200);
    // A key not cached yet is looked up afresh, and its owner's name must not be the cached old
    // one (which lives for KEY_CACHE_TTL_MS, 30 s here). The rename's NOTIFY takes milliseconds to
    // come back to the listener, so a fresh key is tried until then.
    let name = "";
    for (let i = 0; i < 20 && name !== "Ledger Ops"; i += 1) {
      if (i > 0) await sleep(50);
      const answer = await verify((await issue(`after rename ${i}`)).plaintext);
      name = (answer.body.owner as { name: string }).name;
    }
    expect(name).toBe("Ledger Ops");
  });
});

describe("deleting", () => {
  it("a team only once its keys no longer work", async () => {
    const db = testDb();
    const owner = await seedUser(db);
    const session = await signIn(owner.email, owner.password);
    const doomed = await expectStatus(await session.request("POST", "/api/v1/teams", { name: "Doomed" }), 201);
    const key = await expectStatus(
      await session.request("POST", "/api/v1/keys", {
        name: "k",
        expiry: { type: "days", days: 30 },
        scopes: ["read"],
        teamId: doomed.id,
      }),
      201,
    );
    await expectStatus(await session.request("DELETE", `/api/v1/teams/${doomed.id}`), 409);
    await expectStatus(await session.request("POST", `/api/v1/keys/${key.key.id}/revoke`, {}), 200);
    await expectStatus(await session.request("DELETE", `/api/v1/teams/${doomed.id}`), 200);
    await expectStatus(await session.request("GET", `/api/v1/teams/${doomed.id}`), 404);
  });

  it("an account: personal keys revoked (“owner account deleted”), team keys working, refused for a last owner, sessions ended", async () => {
    const db = testDb();
    const person = await seedUser(db);
    const session = await signIn(person.email, person.password);
    const own = await seedKey(db, { userId: person.id });
    const forTeam = await seedKey(db, { teamId: team.id, issuedById: person.id });
    await db.teamMember.create({ data: { teamId: team.id, userId: person.id, role: "MEMBER" } });
    const solo = await expectStatus(await session.request("POST", "/api/v1/teams", { name: "Solo" }), 201);

    await expectStatus(await session.request("DELETE", "/api/v1/me", { confirmEmail: "someone@else.test" }), 422);
    const refused = await expectStatus(
      await session.request("DELETE", "/api/v1/me", { confirmEmail: person.email }),
      409,
    );
    expect(refused.detail).toContain("Solo");
    await expectStatus(await session.request("DELETE", `/api/v1/teams/${solo.id}`), 200);

    await expectStatus(await session.request("DELETE", "/api/v1/me", { confirmEmail: person.email }), 200);
    expect((await verify(own.plaintext)).body).toMatchObject({ valid: false, code: "REVOKED" });
    expect(await db.blacklistedKey.findUnique({ where: { keyId: own.id } })).toMatchObject({
      reason: "REVOKED",
      note: "owner account deleted",
    });
    expect((await verify(forTeam.plaintext)).body).toMatchObject({ valid: true, ownerId: team.id });
    expect((await session.request("GET", "/api/v1/keys")).status).toBe(401);
    await expect(signIn(person.email, person.password)).rejects.toThrow();
    expect(await db.teamMember.count({ where: { userId: person.id } })).toBe(0);
    const detail = await expectStatus(await as("owner").request("GET", `/api/v1/keys/${forTeam.id}`), 200);
    expect(detail.issuedBy.label).toBe("a deleted account");
  });
});

describe("the database", () => {
  it("refuses a key with two owners or none", async () => {
    const db = testDb();
    const base = { name: "x", hash: `h-${Math.random()}`, prefix: "kw_xxxx", last4: "abcd", scopes: ["read"] };
    await expect(
      db.apiKey.create({ data: { ...base, userId: people.owner.user.id, teamId: team.id } }),
    ).rejects.toThrow(/ApiKey_one_owner/);
    await expect(db.apiKey.create({ data: { ...base, hash: `h-${Math.random()}` } })).rejects.toThrow(
      /ApiKey_one_owner/,
    );
  });
});
