// The team authorization matrix, generated: every team route and key action, called by every kind
// of caller against every kind of target, answers what lib/teams/roles.ts says — the allowed
// status, 403 for a member whose role falls short, 404 (exactly like a missing record) for anyone
// outside the team, 401 for anonymous callers. Destructive actions get a fresh target per case.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeTestDb, seedKey, seedTeam, seedUser, testDb } from "@/test-support/db";
import { testEnv } from "@/test-support/env";
import { expectProblemShape, signIn, type Session } from "@/test-support/http";
import { teamCan, type TeamAction, type TeamRole } from "./roles";

const CALLERS = ["anonymous", "non-member", "MEMBER", "ADMIN", "OWNER", "other-team member", "site admin"] as const;
type Caller = (typeof CALLERS)[number];
const ROLE_OF: Partial<Record<Caller, TeamRole>> = { MEMBER: "MEMBER", ADMIN: "ADMIN", OWNER: "OWNER" };

const db = () => testDb();
const sessions = new Map<Caller, Session>();
const ids = new Map<Caller, string>();
let T: string;
let otherTeam: string;
let teamIssuer: string; // a MEMBER of T who issues T's keys in this test (not one of the callers)

beforeAll(async () => {
  const users = new Map<Caller, Awaited<ReturnType<typeof seedUser>>>();
  for (const caller of CALLERS) {
    if (caller === "anonymous") continue;
    const user = await seedUser(db(), { role: caller === "site admin" ? "ADMIN" : "USER" });
    users.set(caller, user);
    ids.set(caller, user.id);
  }
  const issuer = await seedUser(db());
  teamIssuer = issuer.id;
  T = (
    await seedTeam(db(), {
      owner: users.get("OWNER")!.id,
      members: [
        { userId: users.get("ADMIN")!.id, role: "ADMIN" },
        { userId: users.get("MEMBER")!.id, role: "MEMBER" },
        { userId: issuer.id, role: "MEMBER" },
      ],
    })
  ).id;
  otherTeam = (await seedTeam(db(), { owner: users.get("other-team member")!.id })).id;
  // A working key keeps T from being deleted, so "delete the team" can be probed without losing it.
  await seedKey(db(), { teamId: T, issuedById: issuer.id, name: "keeps the team" });
  for (const [caller, user] of users) sessions.set(caller, await signIn(user.email, user.password));
});
afterAll(closeTestDb);

function call(caller: Caller, method: string, path: string, body?: unknown): Promise<Response> {
  const session = sessions.get(caller);
  if (session) return session.request(method, path, body);
  return fetch(`${testEnv.baseUrl}${path}`, {
    method,
    redirect: "manual",
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** What a caller should get for a team action whose success status is `ok`. */
function expected(caller: Caller, action: TeamAction, ok: number): number {
  if (caller === "anonymous") return 401;
  const role = ROLE_OF[caller];
  if (!role) return 404;
  return teamCan(role, action) ? ok : 403;
}

async function check(caller: Caller, method: string, path: string, want: number, body?: unknown) {
  const response = await call(caller, method, path, body);
  const text = await response.text();
  if (want < 400) return expect(response.status, `${caller} ${method} ${path}`).toBe(want);
  expect(response.status, `${caller} ${method} ${path} → ${text.slice(0, 200)}`).toBe(want);
  if (want >= 400) expectProblemShape(JSON.parse(text), want);
}

interface TeamCase {
  name: string;
  action: TeamAction;
  ok: number;
  /** Makes the request (fresh targets for destructive ones). */
  request: () => Promise<{ method: string; path: string; body?: unknown }>;
}

const freshMember = async () => {
  const victim = await seedUser(db());
  await db().teamMember.create({ data: { teamId: T, userId: victim.id, role: "MEMBER" } });
  return victim.id;
};

const TEAM_CASES: TeamCase[] = [
  {
    name: "read the team",
    action: "view-keys",
    ok: 200,
    request: async () => ({ method: "GET", path: `/api/v1/teams/${T}` }),
  },
  {
    name: "list members",
    action: "view-keys",
    ok: 200,
    request: async () => ({ method: "GET", path: `/api/v1/teams/${T}/members` }),
  },
  {
    name: "list team keys",
    action: "view-keys",
    ok: 200,
    request: async () => ({ method: "GET", path: `/api/v1/keys?team=${T}` }),
  },
  {
    name: "issue a team key",
    action: "issue-key",
    ok: 201,
    request: async () => ({
      method: "POST",
      path: "/api/v1/keys",
      body: { name: "m", expiry: { type: "days", days: 30 }, scopes: ["read"], teamId: T },
    }),
  },
  {
    name: "rename",
    action: "rename",
    ok: 200,
    request: async () => ({
      method: "PATCH",
      path: `/api/v1/teams/${T}`,
      body: { name: `T ${randomUUID().slice(0, 4)}` },
    }),
  },
  {
    name: "list invitations",
    action: "invite",
    ok: 200,
    request: async () => ({ method: "GET", path: `/api/v1/teams/${T}/invitations` }),
  },
  {
    name: "invite a member",
    action: "invite",
    ok: 201,
    request: async () => ({
      method: "POST",
      path: `/api/v1/teams/${T}/invitations`,
      body: { email: `i-${randomUUID().slice(0, 8)}@example.test`, role: "MEMBER" },
    }),
  },
  {
    name: "invite an owner",
    action: "invite-owner",
    ok: 201,
    request: async () => ({
      method: "POST",
      path: `/api/v1/teams/${T}/invitations`,
      body: { email: `o-${randomUUID().slice(0, 8)}@example.test`, role: "OWNER" },
    }),
  },
  {
    name: "revoke an invitation",
    action: "invite",
    ok: 200,
    request: async () => {
      const inv = await db().teamInvitation.create({
        data: {
          teamId: T,
          email: `r-${randomUUID().slice(0, 8)}@example.test`,
          role: "MEMBER",
          tokenHash: randomUUID(),
          invitedById: ids.get("OWNER")!,
          expiresAt: new Date(Date.now() + 86_400_000),
        },
      });
      return { method: "DELETE", path: `/api/v1/teams/${T}/invitations/${inv.id}` };
    },
  },
  {
    name: "read the team's log",
    action: "read-audit",
    ok: 200,
    request: async () => ({ method: "GET", path: `/api/v1/teams/${T}/audit` }),
  },
  {
    name: "export the team's log",
    action: "export-audit",
    ok: 200,
    request: async () => ({ method: "GET", path: `/api/v1/teams/${T}/audit/export?format=jsonl` }),
  },
  {
    name: "change a member's role",
    action: "change-role",
    ok: 200,
    request: async () => ({
      method: "PATCH",
      path: `/api/v1/teams/${T}/members/${await freshMember()}`,
      body: { role: "ADMIN" },
    }),
  },
  {
    name: "remove a member",
    action: "remove-member",
    ok: 200,
    request: async () => ({ method: "DELETE", path: `/api/v1/teams/${T}/members/${await freshMember()}` }),
  },
  {
    name: "remove an owner",
    action: "remove-owner",
    ok: 200,
    request: async () => {
      const id = await freshMember();
      await db().teamMember.update({ where: { teamId_userId: { teamId: T, userId: id } }, data: { role: "OWNER" } });
      return { method: "DELETE", path: `/api/v1/teams/${T}/members/${id}` };
    },
  },
  // Allowed for owners, and then refused for another reason: the team still has a working key.
  {
    name: "delete the team",
    action: "delete-team",
    ok: 409,
    request: async () => ({ method: "DELETE", path: `/api/v1/teams/${T}` }),
  },
];

describe("team routes × callers", () => {
  for (const c of TEAM_CASES) {
    it(`${c.name}`, async () => {
      for (const caller of CALLERS) {
        const { method, path, body } = await c.request();
        await check(caller, method, path, expected(caller, c.action, c.ok), body);
      }
    });
  }

  it("another team's routes: 404 for everyone outside it, even site admins", async () => {
    for (const caller of CALLERS) {
      if (caller === "other-team member") continue;
      const want = caller === "anonymous" ? 401 : 404;
      await check(caller, "GET", `/api/v1/teams/${otherTeam}`, want);
      await check(caller, "GET", `/api/v1/keys?team=${otherTeam}`, want);
      await check(caller, "POST", `/api/v1/teams/${otherTeam}/invitations`, want, {
        email: "x@example.test",
        role: "MEMBER",
      });
    }
  });

  it("site admins see every team from the admin routes; nobody else does", async () => {
    for (const caller of CALLERS) {
      const want = caller === "anonymous" ? 401 : caller === "site admin" ? 200 : 403;
      await check(caller, "GET", "/api/v1/admin/teams", want);
      await check(caller, "GET", `/api/v1/admin/keys?team=${T}`, want);
    }
  });
});

describe("key actions × callers × targets", () => {
  type Target = "T's key" | "another team's key" | "a personal key";
  const TARGETS: Target[] = ["T's key", "another team's key", "a personal key"];
  const ACTIONS = [
    { name: "view", method: "GET", suffix: "", ok: 200, teamAction: "view-keys" as TeamAction },
    { name: "revoke", method: "POST", suffix: "/revoke", ok: 200, teamAction: "revoke-key" as TeamAction, body: {} },
    // Rotating a working key someone else issued needs rotate-any-key (MEMBERs rotate only their own).
    {
      name: "rotate",
      method: "POST",
      suffix: "/rotate",
      ok: 201,
      teamAction: "rotate-any-key" as TeamAction,
      body: { grace: "none" },
    },
    // Renewing (replacing a key that no longer works) someone else's key takes the same right: the
    // new key's issuer may loosen its limits.
    {
      name: "renew",
      method: "POST",
      suffix: "/rotate",
      ok: 201,
      teamAction: "rotate-any-key" as TeamAction,
      body: {},
      expired: true,
    },
  ];
  const freshKey = async (target: Target, expired = false) => {
    const expiresAt = expired ? new Date(Date.now() - 60_000) : undefined;
    if (target === "T's key") return (await seedKey(db(), { teamId: T, issuedById: teamIssuer, expiresAt })).id;
    if (target === "another team's key")
      return (await seedKey(db(), { teamId: otherTeam, issuedById: ids.get("other-team member")!, expiresAt })).id;
    return (await seedKey(db(), { userId: ids.get("non-member")!, expiresAt })).id; // someone's personal key
  };
  for (const action of ACTIONS) {
    it(`${action.name}`, async () => {
      for (const target of TARGETS) {
        for (const caller of CALLERS) {
          const id = await freshKey(target, action.expired);
          let want: number;
          if (caller === "anonymous") want = 401;
          else if (target === "T's key") want = expected(caller, action.teamAction, action.ok);
          else if (target === "another team's key") want = caller === "other-team member" ? action.ok : 404;
          else want = caller === "non-member" ? action.ok : 404; // the personal key is the non-member's own
          await check(caller, action.method, `/api/v1/keys/${id}${action.suffix}`, want, action.body);
          if (want >= 400)
            expect(
              await db().blacklistedKey.count({ where: { keyId: id } }),
              `${caller} ${action.name} ${target}`,
            ).toBe(0);
          if (want >= 400)
            expect(
              (await db().apiKey.findUniqueOrThrow({ where: { id } })).replacedById,
              `${caller} ${action.name} ${target}`,
            ).toBeNull();
        }
      }
    });
  }

  it("a MEMBER rotates a team key they issued themselves, and renews one", async () => {
    const mine = await seedKey(db(), { teamId: T, issuedById: ids.get("MEMBER")! });
    await check("MEMBER", "POST", `/api/v1/keys/${mine.id}/rotate`, 201, { grace: "none" });
    const expired = await seedKey(db(), {
      teamId: T,
      issuedById: ids.get("MEMBER")!,
      expiresAt: new Date(Date.now() - 60_000),
    });
    await check("MEMBER", "POST", `/api/v1/keys/${expired.id}/rotate`, 201, {});
  });

  it("a MEMBER who revokes a team key someone else issued cannot then renew it and become its issuer", async () => {
    const theirs = await seedKey(db(), { teamId: T, issuedById: teamIssuer });
    await check("MEMBER", "POST", `/api/v1/keys/${theirs.id}/revoke`, 200, {});
    await check("MEMBER", "POST", `/api/v1/keys/${theirs.id}/rotate`, 403, {});
    expect((await db().apiKey.findUniqueOrThrow({ where: { id: theirs.id } })).replacedById).toBeNull();
  });
});
