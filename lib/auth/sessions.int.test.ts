// Sessions end everywhere, at the next request: on sign-out (a copied cookie stops working), a
// password change, a role change, and an admin's "sign out everywhere". And the way back after
// sign-in never leaves APP_URL.
import { afterAll, describe, expect, it } from "vitest";
import { Browser } from "@/test-support/browser";
import { closeTestDb, seedUser, testDb } from "@/test-support/db";
import { testEnv } from "@/test-support/env";

afterAll(closeTestDb);

/** A second browser holding a copy of the first one's cookies (a stolen or copied session). */
function copyOf(browser: Browser): Browser {
  return new Browser(testEnv.baseUrl, { cookie: browser.cookie });
}

async function keysStatus(browser: Browser): Promise<number> {
  return (await browser.json("GET", "/api/v1/keys")).status;
}

describe("ending sessions", () => {
  it("sign-out ends the session everywhere: a copied cookie is refused at once", async () => {
    const user = await seedUser(testDb());
    const browser = new Browser();
    await browser.signIn(user.email, user.password);
    const copy = copyOf(browser);
    expect(await keysStatus(copy)).toBe(200);
    await browser.signOut();
    expect(browser.signedIn).toBe(false);
    expect(await keysStatus(copy)).toBe(401);
    // A page with the copied cookie sends the visitor to sign-in, too.
    const page = await copy.fetch("/keys");
    expect(page.status).toBe(307);
    expect(page.headers.get("location")).toContain("/sign-in");
  });

  it("a password change ends every other session; this browser stays signed in, with the new password", async () => {
    const user = await seedUser(testDb());
    const [here, there] = [new Browser(), new Browser()];
    await here.signIn(user.email, user.password);
    await there.signIn(user.email, user.password);
    const wrong = await here.json("POST", "/api/v1/me/password", {
      currentPassword: "not-it",
      password: "a-new-password-1",
    });
    expect(wrong.status).toBe(403);
    const changed = await here.json("POST", "/api/v1/me/password", {
      currentPassword: user.password,
      password: "a-new-password-1",
    });
    expect(changed.status).toBe(200);
    expect(await keysStatus(there)).toBe(401);
    expect(await keysStatus(here)).toBe(200);
    const withOld = new Browser();
    await withOld.signIn(user.email, user.password);
    expect(withOld.signedIn).toBe(false);
    const withNew = new Browser();
    await withNew.signIn(user.email, "a-new-password-1");
    expect(withNew.signedIn).toBe(true);
  });

  it("a role change and an admin's 'sign out everywhere' end the user's sessions", async () => {
    const admin = await seedUser(testDb(), { role: "ADMIN" });
    const user = await seedUser(testDb());
    const adminBrowser = new Browser();
    await adminBrowser.signIn(admin.email, admin.password);

    const promoted = new Browser();
    await promoted.signIn(user.email, user.password);
    expect((await adminBrowser.json("POST", `/api/v1/admin/users/${user.id}/role`, { role: "ADMIN" })).status).toBe(
      200,
    );
    expect(await keysStatus(promoted)).toBe(401);
    await promoted.signIn(user.email, user.password);
    expect((await promoted.json("GET", "/api/v1/admin/users")).status).toBe(200);

    expect((await adminBrowser.json("POST", `/api/v1/admin/users/${user.id}/sign-out`)).status).toBe(200);
    expect(await keysStatus(promoted)).toBe(401);
    const audit = await testDb().auditEvent.findMany({ where: { action: "user.sessions_ended", actorId: admin.id } });
    expect(audit.map((e) => (e.detail as { reason: string }).reason).sort()).toEqual([
      "role changed",
      "signed out by an admin",
    ]);
  });

  it("the last admin cannot be demoted, and nobody but an admin changes roles", async () => {
    const admin = await seedUser(testDb(), { role: "ADMIN" });
    const browser = new Browser();
    await browser.signIn(admin.email, admin.password);
    const others = await testDb().user.findMany({
      where: { role: "ADMIN", id: { not: admin.id } },
      select: { id: true },
    });
    await testDb().user.updateMany({ where: { id: { in: others.map((o) => o.id) } }, data: { role: "USER" } });
    try {
      const refused = await browser.json("POST", `/api/v1/admin/users/${admin.id}/role`, { role: "USER" });
      expect(refused.status).toBe(409);
    } finally {
      await testDb().user.updateMany({ where: { id: { in: others.map((o) => o.id) } }, data: { role: "ADMIN" } });
    }
    const user = await seedUser(testDb());
    const plain = new Browser();
    await plain.signIn(user.email, user.password);
    expect((await plain.json("POST", `/api/v1/admin/users/${user.id}/role`, { role: "ADMIN" })).status).toBe(403);
  });
});

describe("the way back after sign-in", () => {
  it("a callbackUrl that leaves APP_URL becomes /keys, on the page and after a genuine sign-in", async () => {
    for (const evil of [
      "/%09/evil.example",
      "//evil.example",
      "/\\evil.example",
      "http://evil.example/",
      "/%0a/x",
      "/%0d/x",
    ]) {
      const page = await fetch(`${testEnv.baseUrl}/sign-in?callbackUrl=${encodeURIComponent(evil)}`);
      expect(page.status, evil).toBe(200);
      expect(await page.text(), evil).toContain('name="callbackUrl" value="/keys"');
    }
    const raw = await fetch(`${testEnv.baseUrl}/sign-in?callbackUrl=/%09/evil.example`);
    expect(await raw.text()).toContain('name="callbackUrl" value="/keys"');
    const user = await seedUser(testDb());
    for (const evil of ["/\t/evil.example", "http://evil.example/", "//evil.example/x"]) {
      const browser = new Browser();
      const visit = await browser.signIn(user.email, user.password, evil);
      expect(browser.signedIn).toBe(true);
      for (const hop of visit.redirects)
        expect(new URL(hop).origin, `${evil} → ${hop}`).toBe(new URL(testEnv.baseUrl).origin);
      expect(new URL(visit.url).pathname).toBe("/keys");
    }
  });

  it("a forged Host header does not move next-auth's redirects off APP_URL", async () => {
    const user = await seedUser(testDb());
    const browser = new Browser(testEnv.baseUrl, { "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" });
    const response = await browser.fetch("/api/auth/callback/credentials", {
      method: "POST",
      body: new URLSearchParams({
        csrfToken: await browser.csrfToken(),
        email: user.email,
        password: user.password,
        callbackUrl: "/keys",
      }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(new URL(response.headers.get("location")!).origin).toBe(new URL(testEnv.baseUrl).origin);
  });
});
