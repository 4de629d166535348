// GitHub sign-in over HTTP, against the local GitHub stand-in (test-support/fake-github.ts).
// An identity joins an account only through a signed-in "Connect GitHub" with an address GitHub
// has verified; never by matching addresses; and not at all when sign-up is closed.
import { randomInt, randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { Browser } from "@/test-support/browser";
import { closeTestDb, seedUser, testDb } from "@/test-support/db";
import { testEnv } from "@/test-support/env";
import { actAsGitHubUser, type GitHubIdentity } from "@/test-support/fake-github";
import { currentCode, seedTotp } from "@/test-support/second-factor";

afterAll(closeTestDb);

function identity(email: string, { verified = true, extra = [] as string[] } = {}): GitHubIdentity {
  return {
    id: randomInt(1, 2 ** 31),
    login: `gh-${randomUUID().slice(0, 8)}`,
    name: "Octo Cat",
    publicEmail: null,
    emails: [{ email, verified, primary: true }, ...extra.map((e) => ({ email: e, verified: true, primary: false }))],
  };
}

const problemOf = (url: string) => new URL(url).searchParams.get("problem");
const linksOf = (githubId: number) =>
  testDb().account.findMany({ where: { provider: "github", providerAccountId: String(githubId) } });

async function whoAmI(browser: Browser): Promise<string | null> {
  const session = await browser.fetch("/api/auth/session");
  return ((await session.json()) as { user?: { email?: string } } | null)?.user?.email ?? null;
}

describe("GitHub sign-in", () => {
  it("sends GitHub the callback under APP_URL exactly, as registered (GitHub refuses another host or port)", async () => {
    const user = await seedUser(testDb());
    await actAsGitHubUser(testEnv.githubUrl, identity(user.email));
    await new Browser().signInWithGitHub();
    const { redirectUri } = (await (await fetch(`${testEnv.githubUrl}/_test/last-redirect-uri`)).json()) as {
      redirectUri: string | null;
    };
    expect(redirectUri).toBe(`${testEnv.baseUrl}/api/auth/callback/github`);
  });

  it("never joins an existing account by address, not even an admin's", async () => {
    for (const role of ["USER", "ADMIN"] as const) {
      const victim = await seedUser(testDb(), { role });
      const gh = identity(victim.email);
      await actAsGitHubUser(testEnv.githubUrl, gh);
      const browser = new Browser();
      const visit = await browser.signInWithGitHub();
      expect(problemOf(visit.url)).toBe("address-taken");
      expect(visit.text).toContain("An account already uses this address");
      expect(browser.signedIn).toBe(false);
      expect(await linksOf(gh.id)).toHaveLength(0);
    }
  });

  it("makes a new, verified account from GitHub's verified primary address when sign-up is on", async () => {
    const email = `octo-${randomUUID().slice(0, 8)}@example.test`;
    const gh = identity(email);
    await actAsGitHubUser(testEnv.githubUrl, gh);
    const browser = new Browser();
    const visit = await browser.signInWithGitHub("/keys?tab=expiring");
    expect(new URL(visit.url).pathname + new URL(visit.url).search).toBe("/keys?tab=expiring");
    expect(await whoAmI(browser)).toBe(email);
    const user = await testDb().user.findUniqueOrThrow({
      where: { email },
      select: { emailVerifiedAt: true, passwordHash: true, role: true },
    });
    expect(user.emailVerifiedAt).not.toBeNull();
    expect(user.passwordHash).toBeNull();
    expect(user.role).toBe("USER");
    // The next sign-in finds the same account through the link, not the address.
    const again = new Browser();
    await again.signInWithGitHub();
    expect(await whoAmI(again)).toBe(email);
  });

  it("refuses an identity without a verified address", async () => {
    await actAsGitHubUser(
      testEnv.githubUrl,
      identity(`unverified-${randomUUID().slice(0, 8)}@example.test`, { verified: false }),
    );
    const visit = await new Browser().signInWithGitHub();
    expect(problemOf(visit.url)).toBe("unverified-identity");
  });

  it("with sign-up off, shows 'sign-up is closed' and makes no account", async () => {
    const email = `closed-${randomUUID().slice(0, 8)}@example.test`;
    await actAsGitHubUser(testEnv.githubUrl, identity(email));
    const browser = new Browser(testEnv.limitedUrl, {
      "x-forwarded-for": `198.20.${randomInt(255)}.${randomInt(1, 255)}`,
    });
    const visit = await browser.signInWithGitHub();
    expect(problemOf(visit.url)).toBe("signup-closed");
    expect(visit.text).toContain("Sign-up is closed");
    expect(browser.signedIn).toBe(false);
    expect(await testDb().user.count({ where: { email } })).toBe(0);
  });
});

describe("Connect GitHub (Settings)", () => {
  it("links a GitHub identity whose verified addresses include the account's, then signs in with it; disconnects", async () => {
    const user = await seedUser(testDb());
    const gh = identity(`other-${randomUUID().slice(0, 8)}@example.test`, { extra: [user.email] });
    await actAsGitHubUser(testEnv.githubUrl, gh);
    const browser = new Browser();
    await browser.signIn(user.email, user.password);
    const start = await browser.json("POST", "/api/v1/me/github/connect");
    expect(start.status).toBe(200);
    const visit = await browser.visit(((await start.json()) as { url: string }).url);
    expect(new URL(visit.url).pathname).toBe("/settings");
    expect(new URL(visit.url).searchParams.get("github")).toBe("connected");
    expect(await whoAmI(browser)).toBe(user.email);
    expect((await linksOf(gh.id)).map((l) => l.userId)).toEqual([user.id]);
    expect(await testDb().auditEvent.count({ where: { action: "user.github_linked", actorId: user.id } })).toBe(1);

    const viaGitHub = new Browser();
    await viaGitHub.signInWithGitHub();
    expect(await whoAmI(viaGitHub)).toBe(user.email);

    expect((await browser.json("DELETE", "/api/v1/me/github")).status).toBe(200);
    expect(await linksOf(gh.id)).toHaveLength(0);
    // Unlinked: the identity no longer signs in to this account (and may not join it by address).
    const after = new Browser();
    expect(problemOf((await after.signInWithGitHub()).url)).toBe("address-taken");
  });

  it("refuses an unverified account, a GitHub identity without the account's address, and one linked elsewhere", async () => {
    const unverified = await seedUser(testDb(), { verified: false });
    const browser = new Browser();
    await browser.signIn(unverified.email, unverified.password);
    expect((await browser.json("POST", "/api/v1/me/github/connect")).status).toBe(403);

    const user = await seedUser(testDb());
    const stranger = identity(`stranger-${randomUUID().slice(0, 8)}@example.test`);
    await actAsGitHubUser(testEnv.githubUrl, stranger);
    const mine = new Browser();
    await mine.signIn(user.email, user.password);
    const start = await mine.json("POST", "/api/v1/me/github/connect");
    const visit = await mine.visit(((await start.json()) as { url: string }).url);
    expect(problemOf(visit.url)).toBe("address-mismatch");
    expect(await linksOf(stranger.id)).toHaveLength(0);

    const owner = await seedUser(testDb());
    const shared = identity(owner.email, { extra: [user.email] });
    await testDb().account.create({
      data: { provider: "github", providerAccountId: String(shared.id), userId: owner.id },
    });
    await actAsGitHubUser(testEnv.githubUrl, shared);
    const again = await mine.json("POST", "/api/v1/me/github/connect");
    expect(problemOf((await mine.visit(((await again.json()) as { url: string }).url)).url)).toBe("linked-elsewhere");
    expect((await linksOf(shared.id)).map((l) => l.userId)).toEqual([owner.id]);
  });

  it("will not disconnect GitHub from an account that has no password", async () => {
    const email = `gh-only-${randomUUID().slice(0, 8)}@example.test`;
    await actAsGitHubUser(testEnv.githubUrl, identity(email));
    const browser = new Browser();
    await browser.signInWithGitHub();
    expect((await browser.json("DELETE", "/api/v1/me/github")).status).toBe(409);
    // Setting a first password needs no current one; then disconnecting works.
    expect((await browser.json("POST", "/api/v1/me/password", { password: "first-password-1" })).status).toBe(200);
    expect((await browser.json("DELETE", "/api/v1/me/github")).status).toBe(200);
  });

  it("holds the sign-in of an account with a second factor until that factor is given, in the same browser", async () => {
    const user = await seedUser(testDb());
    const gh = identity(user.email);
    await testDb().account.create({ data: { userId: user.id, provider: "github", providerAccountId: String(gh.id) } });
    const { secret } = await seedTotp(testDb(), user.id);
    await actAsGitHubUser(testEnv.githubUrl, gh);

    const browser = new Browser();
    const held = await browser.signInWithGitHub("/keys?tab=expiring");
    // GitHub's sign-in is one factor: no session yet, the sign-in page asks for the second.
    expect(new URL(held.url).pathname).toBe("/sign-in");
    expect(new URL(held.url).searchParams.get("held")).toBe("github");
    expect(held.text).toContain("Your account has two-factor authentication.");
    expect(await whoAmI(browser)).toBeNull();

    const complete = async (who: Browser, otp: string) =>
      who.post("/api/auth/callback/credentials", {
        csrfToken: await who.csrfToken(),
        held: "github",
        otp,
        callbackUrl: "/keys?tab=expiring",
      });
    // Another browser, without the held sign-in, gets nothing for a right code.
    const stranger = new Browser();
    await complete(stranger, currentCode(secret));
    expect(await whoAmI(stranger)).toBeNull();
    // A wrong code signs nobody in, and the held sign-in stays for the right one.
    await complete(browser, "000000");
    expect(await whoAmI(browser)).toBeNull();
    const done = await complete(browser, currentCode(secret));
    expect(await whoAmI(browser)).toBe(user.email);
    expect(new URL(done.url).pathname + new URL(done.url).search).toBe("/keys?tab=expiring");
    const signedIn = await testDb().auditEvent.findFirstOrThrow({
      where: { action: "auth.signed_in", actorId: user.id },
      orderBy: { at: "desc" },
    });
    expect(signedIn.detail).toMatchObject({ method: "github+totp" });
  });
});
