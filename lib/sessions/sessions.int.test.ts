// Sessions people can see (Settings → Sessions, Admin → Users): every sign-in records a session row
// whose id the session's JWT carries; ending the row signs that browser out at its next request,
// and only that one. A new device's first sign-in emails the owner, once per device.
import { randomUUID } from "node:crypto";
import { decode, encode } from "next-auth/jwt";
import { afterAll, describe, expect, it } from "vitest";
import { Browser } from "@/test-support/browser";
import { closeTestDb, seedUser, testDb } from "@/test-support/db";
import { testEnv } from "@/test-support/env";

afterAll(closeTestDb);

interface Session {
  id: string;
  device: string;
  userAgent: string | null;
  ip: string | null;
  method: string;
  createdAt: string;
  lastSeenAt: string;
  current: boolean;
}

const FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
const SAFARI =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";

async function sessionsOf(browser: Browser, path = "/api/v1/me/sessions"): Promise<Session[]> {
  const response = await browser.json("GET", path);
  expect(response.status).toBe(200);
  return ((await response.json()) as { items: Session[] }).items;
}

const keysStatus = async (browser: Browser) => (await browser.json("GET", "/api/v1/keys")).status;

async function signedIn(user: { email: string; password: string }, userAgent = FIREFOX): Promise<Browser> {
  const browser = new Browser(testEnv.baseUrl, { "user-agent": userAgent });
  await browser.signIn(user.email, user.password);
  expect(browser.signedIn).toBe(true);
  return browser;
}

describe("Settings → Sessions", () => {
  it("lists the account's sessions with device, address and times, marking this one", async () => {
    const user = await seedUser(testDb());
    const laptop = await signedIn(user, FIREFOX);
    const phone = await signedIn(user, SAFARI);
    const seen = await sessionsOf(laptop);
    expect(seen).toHaveLength(2);
    const here = seen.find((s) => s.current)!;
    expect(here).toMatchObject({
      device: "Firefox 133 on Linux",
      userAgent: FIREFOX,
      ip: "127.0.0.1",
      method: "password",
    });
    expect(Date.parse(here.createdAt)).toBeLessThanOrEqual(Date.parse(here.lastSeenAt));
    expect(seen.find((s) => !s.current)).toMatchObject({ device: "Safari 18 on iOS" });
    expect((await sessionsOf(phone)).find((s) => s.current)?.device).toBe("Safari 18 on iOS");
    // A new sign-in of the same browser is a new session; the page lists them too.
    const page = await laptop.fetch("/settings/sessions");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Safari 18 on iOS");
  });

  it("ends one session: that browser is refused at once, the others keep working", async () => {
    const user = await seedUser(testDb());
    const [here, there, third] = [await signedIn(user), await signedIn(user, SAFARI), await signedIn(user)];
    const copyOfThere = new Browser(testEnv.baseUrl, { cookie: there.cookie });
    const thereId = (await sessionsOf(there)).find((s) => s.current)!.id;
    const ended = await here.json("DELETE", `/api/v1/me/sessions/${thereId}`);
    expect(ended.status).toBe(200);
    expect(await keysStatus(there)).toBe(401);
    expect(await keysStatus(copyOfThere)).toBe(401);
    const page = await there.fetch("/keys");
    expect(page.status).toBe(307);
    expect(page.headers.get("location")).toContain("/sign-in");
    expect(await keysStatus(here)).toBe(200);
    expect(await keysStatus(third)).toBe(200);
    expect((await sessionsOf(here)).map((s) => s.id)).not.toContain(thereId);
    // Ended is ended: again, 404.
    expect((await here.json("DELETE", `/api/v1/me/sessions/${thereId}`)).status).toBe(404);
    const audit = await testDb().auditEvent.findFirstOrThrow({
      where: { action: "user.session_ended", actorId: user.id },
    });
    expect(audit.detail).toMatchObject({
      userId: user.id,
      sessionId: thereId,
      device: "Safari 18 on iOS",
      by: "owner",
    });
  });

  it("someone else's session, an unknown id and a malformed one are 404, and nothing ends", async () => {
    const [mallory, victim] = [await seedUser(testDb()), await seedUser(testDb())];
    const attacker = await signedIn(mallory);
    const target = await signedIn(victim);
    const victimSession = (await sessionsOf(target)).find((s) => s.current)!.id;
    for (const id of [victimSession, randomUUID(), "not-a-uuid", "../sessions"]) {
      expect((await attacker.json("DELETE", `/api/v1/me/sessions/${encodeURIComponent(id)}`)).status, id).toBe(404);
    }
    expect(await keysStatus(target)).toBe(200);
  });

  it("sign-out, a password change and a role change leave no session listed from before", async () => {
    const user = await seedUser(testDb());
    const here = await signedIn(user);
    await signedIn(user, SAFARI);
    expect(
      (
        await here.json("POST", "/api/v1/me/password", {
          currentPassword: user.password,
          password: "another-password-1",
        })
      ).status,
    ).toBe(200);
    const after = await sessionsOf(here);
    expect(after).toHaveLength(1);
    expect(after[0]!.current).toBe(true);
  });

  it("notes when a session was last used, at most once a minute", async () => {
    const user = await seedUser(testDb());
    const browser = await signedIn(user);
    const id = (await sessionsOf(browser))[0]!.id;
    const past = new Date(Date.now() - 5 * 60_000);
    await testDb().userSession.update({ where: { id }, data: { lastSeenAt: past, ip: "203.0.113.9" } });
    expect(await keysStatus(browser)).toBe(200);
    let row = await testDb().userSession.findUniqueOrThrow({ where: { id } });
    for (let i = 0; i < 50 && row.lastSeenAt.getTime() === past.getTime(); i++) {
      await new Promise((r) => setTimeout(r, 100));
      row = await testDb().userSession.findUniqueOrThrow({ where: { id } });
    }
    expect(row.lastSeenAt.getTime()).toBeGreaterThan(past.getTime());
    expect(row.ip).toBe("127.0.0.1");
    // Within the minute, another request writes nothing.
    const touched = row.lastSeenAt.getTime();
    expect(await keysStatus(browser)).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect((await testDb().userSession.findUniqueOrThrow({ where: { id } })).lastSeenAt.getTime()).toBe(touched);
  });

  it("a session issued before session rows existed (no sid) is signed out once", async () => {
    const user = await seedUser(testDb());
    const browser = await signedIn(user);
    const name = "authjs.session-token";
    const raw = browser.cookie
      .split("; ")
      .find((c) => c.startsWith(`${name}=`))!
      .slice(name.length + 1);
    const secret = process.env.AUTH_SECRET!;
    const token = await decode({ token: raw, secret, salt: name });
    expect(token?.sid).toBeTruthy();
    const { sid: _sid, ...old } = token!;
    const legacy = new Browser(testEnv.baseUrl, {
      cookie: `${name}=${await encode({ token: old, secret, salt: name })}`,
    });
    expect(await keysStatus(legacy)).toBe(401);
    expect((await legacy.fetch("/keys")).status).toBe(307);
    expect(await keysStatus(browser)).toBe(200);
  });
});

describe("account deletion", () => {
  it("takes the account's sessions and known devices with it", async () => {
    const user = await seedUser(testDb());
    const browser = await signedIn(user);
    await signedIn(user, SAFARI);
    expect(await testDb().userSession.count({ where: { userId: user.id } })).toBe(2);
    expect((await browser.json("DELETE", "/api/v1/me", { confirmEmail: user.email })).status).toBe(200);
    expect(await testDb().userSession.count({ where: { userId: user.id } })).toBe(0);
    expect(await testDb().knownDevice.count({ where: { userId: user.id } })).toBe(0);
  });
});

describe("Admin → Users → Sessions", () => {
  it("an admin lists a user's sessions and ends one; a session of another user is 404", async () => {
    const admin = await signedIn(await seedUser(testDb(), { role: "ADMIN" }));
    const user = await seedUser(testDb());
    const [one, two] = [await signedIn(user), await signedIn(user, SAFARI)];
    const listed = await sessionsOf(admin, `/api/v1/admin/users/${user.id}/sessions`);
    expect(listed).toHaveLength(2);
    expect(listed.every((s) => !s.current)).toBe(true);
    const target = listed.find((s) => s.device === "Safari 18 on iOS")!;
    const other = await seedUser(testDb());
    expect((await admin.json("DELETE", `/api/v1/admin/users/${other.id}/sessions/${target.id}`)).status).toBe(404);
    expect((await admin.json("GET", `/api/v1/admin/users/${randomUUID()}/sessions`)).status).toBe(404);
    expect((await admin.json("DELETE", `/api/v1/admin/users/${user.id}/sessions/${target.id}`)).status).toBe(200);
    expect(await keysStatus(two)).toBe(401);
    expect(await keysStatus(one)).toBe(200);
    expect((await admin.fetch(`/admin/users/${user.id}/sessions`)).status).toBe(200);
    // Not for anyone else.
    expect((await one.json("GET", `/api/v1/admin/users/${user.id}/sessions`)).status).toBe(403);
    expect((await one.json("DELETE", `/api/v1/admin/users/${user.id}/sessions/${listed[0]!.id}`)).status).toBe(403);
  });
});

describe("new-device email", () => {
  const newDeviceEmails = (userId: string) =>
    testDb().emailMessage.findMany({ where: { userId, kind: "NEW_DEVICE_SIGN_IN" }, orderBy: { createdAt: "asc" } });

  it("goes out once per new device, never for the account's first device or a known one", async () => {
    const user = await seedUser(testDb());
    const first = await signedIn(user);
    await first.signOut();
    await first.signIn(user.email, user.password);
    expect(await newDeviceEmails(user.id)).toHaveLength(0);

    const phone = await signedIn(user, SAFARI);
    await phone.signIn(user.email, user.password);
    await phone.signOut();
    await phone.signIn(user.email, user.password);
    const emails = await newDeviceEmails(user.id);
    expect(emails).toHaveLength(1);
    expect(emails[0]!.toAddress).toBe(user.email);
    expect(emails[0]!.text).toContain("Safari 18 on iOS");
    expect(emails[0]!.text).toContain("127.0.0.1");
    expect(emails[0]!.text).toContain(`${testEnv.baseUrl}/settings/sessions`);

    // Another browser is another device, even on the same system.
    await signedIn(user, SAFARI);
    expect(await newDeviceEmails(user.id)).toHaveLength(2);
  });

  it("is not sent to an address nobody has verified", async () => {
    const user = await seedUser(testDb(), { verified: false });
    await signedIn(user);
    await signedIn(user, SAFARI);
    expect(await newDeviceEmails(user.id)).toHaveLength(0);
  });
});
