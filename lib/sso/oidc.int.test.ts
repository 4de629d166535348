// Single sign-on over HTTP against a real OpenID provider (oidc-provider, started by the test
// runner: test-support/oidc-provider.ts). The same rules as GitHub: an identity never joins an
// account by address, sign-up is respected, and connecting happens from Settings; plus the
// operator's domains (OIDC_ALLOWED_DOMAINS) and admin group (OIDC_ADMIN_GROUP).
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { Browser } from "@/test-support/browser";
import { closeTestDb, seedUser, testDb } from "@/test-support/db";
import { testEnv } from "@/test-support/env";
import { defineOidcAccount, signInWithOidc, type OidcTestAccount } from "@/test-support/oidc-provider";

afterAll(closeTestDb);

const ADMIN_GROUP = "keyward-admins"; // the main server's OIDC_ADMIN_GROUP (scripts/test.ts)

async function account(claims: Partial<OidcTestAccount> & { email?: string } = {}): Promise<OidcTestAccount> {
  const defined: OidcTestAccount = {
    sub: `sub-${randomUUID()}`,
    email: `sso-${randomUUID().slice(0, 8)}@sso.example.test`,
    email_verified: true,
    name: "Sam Sso",
    groups: [],
    ...claims,
  };
  await defineOidcAccount(testEnv.oidcIssuer, defined);
  return defined;
}

const problemOf = (url: string) =>
  new URL(url).pathname === "/auth/oidc" ? new URL(url).searchParams.get("problem") : `not refused: ${url}`;
const linksOf = (sub: string) => testDb().account.findMany({ where: { provider: "oidc", providerAccountId: sub } });

async function whoAmI(browser: Browser): Promise<string | null> {
  const session = await browser.fetch("/api/auth/session");
  return ((await session.json()) as { user?: { email?: string } } | null)?.user?.email ?? null;
}

describe("OIDC sign-in", () => {
  it("makes a verified account from a verified address in an allowed domain, and finds it again by the link", async () => {
    const idp = await account();
    const browser = new Browser();
    const visit = await signInWithOidc(browser, testEnv.oidcIssuer, idp.sub, { callbackUrl: "/keys?tab=expiring" });
    expect(new URL(visit.url).pathname + new URL(visit.url).search).toBe("/keys?tab=expiring");
    expect(await whoAmI(browser)).toBe(idp.email);
    const user = await testDb().user.findUniqueOrThrow({
      where: { email: idp.email },
      select: { id: true, emailVerifiedAt: true, passwordHash: true, role: true, name: true },
    });
    expect(user).toMatchObject({ passwordHash: null, role: "USER", name: "Sam Sso" });
    expect(user.emailVerifiedAt).not.toBeNull();
    expect((await linksOf(idp.sub)).map((l) => l.userId)).toEqual([user.id]);
    expect(await testDb().userSession.count({ where: { userId: user.id, method: "oidc" } })).toBe(1);
    expect((await browser.json("GET", "/api/v1/keys")).status).toBe(200);

    // The provider changes the address: the link, not the address, names the account.
    await defineOidcAccount(testEnv.oidcIssuer, {
      ...idp,
      email: `renamed-${randomUUID().slice(0, 8)}@sso.example.test`,
    });
    const again = new Browser();
    await signInWithOidc(again, testEnv.oidcIssuer, idp.sub);
    expect(await whoAmI(again)).toBe(idp.email);
  });

  it("refuses an address outside the allowed domains, and an unverified one, on a page that says so", async () => {
    const outside = await account({ email: `someone-${randomUUID().slice(0, 8)}@elsewhere.test` });
    const browser = new Browser();
    const refused = await signInWithOidc(browser, testEnv.oidcIssuer, outside.sub);
    expect(problemOf(refused.url)).toBe("domain-not-allowed");
    expect(refused.status).toBe(200);
    expect(refused.text).toContain("This address may not sign in here");
    expect(browser.signedIn).toBe(false);
    expect(await testDb().user.count({ where: { email: outside.email } })).toBe(0);

    // A look-alike domain is another domain.
    const lookalike = await account({ email: `x-${randomUUID().slice(0, 8)}@example.test.evil.test` });
    expect(problemOf((await signInWithOidc(new Browser(), testEnv.oidcIssuer, lookalike.sub)).url)).toBe(
      "domain-not-allowed",
    );

    for (const verified of [false, "false", undefined]) {
      const unverified = await account({ email_verified: verified });
      const visit = await signInWithOidc(new Browser(), testEnv.oidcIssuer, unverified.sub);
      expect(problemOf(visit.url), String(verified)).toBe("unverified-identity");
      expect(await testDb().user.count({ where: { email: unverified.email } })).toBe(0);
    }
  });

  it("a linked identity whose address leaves the allowed domains is refused too", async () => {
    const idp = await account();
    await signInWithOidc(new Browser(), testEnv.oidcIssuer, idp.sub);
    await defineOidcAccount(testEnv.oidcIssuer, { ...idp, email: `moved-${randomUUID().slice(0, 8)}@elsewhere.test` });
    const browser = new Browser();
    expect(problemOf((await signInWithOidc(browser, testEnv.oidcIssuer, idp.sub)).url)).toBe("domain-not-allowed");
    expect(browser.signedIn).toBe(false);
  });

  it("never joins an existing account by address, not even an admin's", async () => {
    for (const role of ["USER", "ADMIN"] as const) {
      const victim = await seedUser(testDb(), { role });
      const idp = await account({ email: victim.email, groups: [ADMIN_GROUP] });
      const browser = new Browser();
      const visit = await signInWithOidc(browser, testEnv.oidcIssuer, idp.sub);
      expect(problemOf(visit.url)).toBe("address-taken");
      expect(visit.text).toContain("An account already uses this address");
      expect(browser.signedIn).toBe(false);
      expect(await linksOf(idp.sub)).toHaveLength(0);
    }
  });

  it("with sign-up off, shows 'sign-up is closed' and makes no account", async () => {
    const idp = await account({ email: `closed-${randomUUID().slice(0, 8)}@anywhere.test` });
    const browser = new Browser(testEnv.limitedUrl, {
      "x-forwarded-for": `198.21.${Math.floor(Math.random() * 255)}.7`,
    });
    const visit = await signInWithOidc(browser, testEnv.oidcIssuer, idp.sub);
    expect(problemOf(visit.url)).toBe("signup-closed");
    expect(visit.text).toContain("Sign-up is closed");
    expect(browser.signedIn).toBe(false);
    expect(await testDb().user.count({ where: { email: idp.email } })).toBe(0);
  });

  it("the admin group makes an admin, and leaving it demotes them (audited, other sessions end); a hand-made admin stays", async () => {
    const idp = await account({ groups: ["staff", ADMIN_GROUP] });
    const first = new Browser();
    await signInWithOidc(first, testEnv.oidcIssuer, idp.sub);
    const user = await testDb().user.findUniqueOrThrow({
      where: { email: idp.email },
      select: { id: true, role: true, adminByGroup: true },
    });
    expect(user).toMatchObject({ role: "ADMIN", adminByGroup: true });
    expect((await first.json("GET", "/api/v1/admin/users")).status).toBe(200);
    const promoted = await testDb().auditEvent.findFirstOrThrow({
      where: { action: "user.role_changed", detail: { path: ["userId"], equals: user.id } },
    });
    expect(promoted.actorLabel).toBe(`single sign-on group ${ADMIN_GROUP}`);
    expect(promoted.detail).toMatchObject({ role: "ADMIN", byGroup: true });

    // Left the group: the next sign-in demotes them, and the session still open as an admin ends.
    await defineOidcAccount(testEnv.oidcIssuer, { ...idp, groups: ["staff"] });
    const second = new Browser();
    await signInWithOidc(second, testEnv.oidcIssuer, idp.sub);
    expect(
      await testDb().user.findUniqueOrThrow({ where: { id: user.id }, select: { role: true, adminByGroup: true } }),
    ).toEqual({ role: "USER", adminByGroup: false });
    expect((await first.json("GET", "/api/v1/keys")).status).toBe(401);
    expect((await second.json("GET", "/api/v1/admin/users")).status).toBe(403);
    expect((await second.json("GET", "/api/v1/keys")).status).toBe(200);
    expect(
      await testDb().auditEvent.count({
        where: { action: "user.sessions_ended", detail: { path: ["userId"], equals: user.id } },
      }),
    ).toBe(2);

    // An admin made by hand is not demoted by a group they were never in.
    await testDb().user.update({ where: { id: user.id }, data: { role: "ADMIN", adminByGroup: false } });
    await signInWithOidc(new Browser(), testEnv.oidcIssuer, idp.sub);
    expect((await testDb().user.findUniqueOrThrow({ where: { id: user.id }, select: { role: true } })).role).toBe(
      "ADMIN",
    );
  });
});

describe("Connect single sign-on (Settings)", () => {
  it("links an identity whose verified address is the account's, signs in with it, and disconnects", async () => {
    const user = await seedUser(testDb());
    const idp = await account({ email: user.email });
    const browser = new Browser();
    await browser.signIn(user.email, user.password);
    const start = await browser.json("POST", "/api/v1/me/sso/connect");
    expect(start.status).toBe(200);
    const visit = await signInWithOidc(browser, testEnv.oidcIssuer, idp.sub, {
      start: ((await start.json()) as { url: string }).url,
    });
    expect(new URL(visit.url).pathname).toBe("/settings");
    expect(new URL(visit.url).searchParams.get("oidc")).toBe("connected");
    expect(await whoAmI(browser)).toBe(user.email);
    expect((await linksOf(idp.sub)).map((l) => l.userId)).toEqual([user.id]);
    expect(await testDb().auditEvent.count({ where: { action: "user.oidc_linked", actorId: user.id } })).toBe(1);
    expect(await (await browser.json("GET", "/api/v1/me/sso")).json()).toEqual({
      linked: true,
      hasPassword: true,
      name: "Test SSO",
    });

    const viaSso = new Browser();
    await signInWithOidc(viaSso, testEnv.oidcIssuer, idp.sub);
    expect(await whoAmI(viaSso)).toBe(user.email);

    expect((await browser.json("DELETE", "/api/v1/me/sso")).status).toBe(200);
    expect(await linksOf(idp.sub)).toHaveLength(0);
    expect((await browser.json("DELETE", "/api/v1/me/sso")).status).toBe(404);
    // Unlinked: the identity no longer signs in to this account, and may not join it by address.
    expect(problemOf((await signInWithOidc(new Browser(), testEnv.oidcIssuer, idp.sub)).url)).toBe("address-taken");
  });

  it("refuses an identity with another address, and a connection whose session ended meanwhile", async () => {
    const user = await seedUser(testDb());
    const stranger = await account();
    const browser = new Browser();
    await browser.signIn(user.email, user.password);
    const start = await browser.json("POST", "/api/v1/me/sso/connect");
    const visit = await signInWithOidc(browser, testEnv.oidcIssuer, stranger.sub, {
      start: ((await start.json()) as { url: string }).url,
    });
    expect(problemOf(visit.url)).toBe("address-mismatch");
    expect(await linksOf(stranger.sub)).toHaveLength(0);

    const mine = await account({ email: user.email });
    const again = await browser.json("POST", "/api/v1/me/sso/connect");
    const url = ((await again.json()) as { url: string }).url;
    // The session that asked is ended (Settings → Sessions elsewhere) before the provider answers.
    await testDb().userSession.updateMany({ where: { userId: user.id, endedAt: null }, data: { endedAt: new Date() } });
    expect(problemOf((await signInWithOidc(browser, testEnv.oidcIssuer, mine.sub, { start: url })).url)).toBe(
      "session-ended",
    );
    expect(await linksOf(mine.sub)).toHaveLength(0);
  });
});

describe("the sign-in page", () => {
  it("offers the provider by its name, and its pages' CSP lets the form go to the issuer", async () => {
    const page = await fetch(`${testEnv.baseUrl}/sign-in`);
    expect(await page.text()).toContain("Continue with Test SSO");
    const formAction = page.headers
      .get("content-security-policy")
      ?.split(";")
      .find((d) => d.trim().startsWith("form-action"));
    expect(formAction?.trim().split(/\s+/)).toContain(new URL(testEnv.oidcIssuer).origin);
  });
});
